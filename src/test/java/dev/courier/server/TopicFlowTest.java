package dev.courier.server;

import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.credit;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.GroupStats;
import dev.courier.core.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flow control per topic and group over real sockets: prefetch and credit frames on the consumer
 * side, and a full topic pausing or rejecting its producer. Payloads are {@code "m" + id}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TopicFlowTest {
  private static final String PREFETCH_ONE =
      "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"jobs\",\"group\":\"work\",\"prefetch\":1}";

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void withPrefetchOneEachOfTwoConsumersHoldsOneMessageAndTheyAlternate(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "first", PREFETCH_ONE).compose(first ->
            broker.registeredConsumer(netClient, "second", PREFETCH_ONE).compose(second ->
                broker.registeredProducer(netClient, "producer", producerOn("jobs"))
                    .compose(producer -> producer.send(publish("m1"), publish("m2"), publish("m3"), publish("m4"),
                            publish("m5"), publish("m6"))
                        .compose(v -> producer.expectOks(6)))
                    .compose(v -> first.expectExtendedMessage(1, "m1", "jobs", 1))
                    .compose(v -> second.expectExtendedMessage(2, "m2", "jobs", 1))
                    // Each holds one: the marker's reply comes before any second message.
                    .compose(v -> first.expectNothingMore())
                    .compose(v -> second.expectNothingMore())
                    .compose(v -> broker.snapshot())
                    .compose(snapshot -> {
                      testContext.verify(() -> {
                        GroupStats work = TestBroker.group(snapshot, "jobs", "work");
                        assertEquals(2, work.inFlight());
                        assertEquals(4, work.ready());
                      });
                      return first.send(ack(1));
                    })
                    .compose(v -> first.expectExtendedMessage(3, "m3", "jobs", 1))
                    .compose(v -> second.send(ack(2)))
                    .compose(v -> second.expectExtendedMessage(4, "m4", "jobs", 1))
                    .compose(v -> first.send(ack(3)))
                    .compose(v -> first.expectExtendedMessage(5, "m5", "jobs", 1))
                    .compose(v -> second.send(ack(4)))
                    .compose(v -> second.expectExtendedMessage(6, "m6", "jobs", 1))
                    .compose(v -> first.send(ack(5)))
                    .compose(v -> second.send(ack(6)))
                    .compose(v -> first.expectNothingMore())
                    .compose(v -> second.expectNothingMore())
                    .compose(v -> broker.awaitSnapshot("all six acked",
                        s -> TestBroker.group(s, "jobs", "work").acked() == 6)))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void idleConsumersWithCreditOneTakeStrictTurnsEvenWhenTheFirstIsFreeAgain(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "first", PREFETCH_ONE).compose(first ->
            broker.registeredConsumer(netClient, "second", PREFETCH_ONE).compose(second ->
                broker.registeredProducer(netClient, "producer", producerOn("jobs")).compose(producer -> {
                  // One at a time, each acked before the next is published: both are always free,
                  // so only the ring decides.
                  Future<Void> chain = Future.succeededFuture();
                  for (long id = 1; id <= 6; id++) {
                    long n = id;
                    WireClient taker = n % 2 == 1 ? first : second;
                    chain = chain
                        .compose(v -> producer.send(publish("m" + n)))
                        .compose(v -> producer.expectOk())
                        .compose(v -> taker.expectOnlyAndAck("jobs", n));
                  }
                  return chain;
                })
                // The other consumer got nothing in between.
                .compose(v -> first.expectNothingMore())
                .compose(v -> second.expectNothingMore()))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void creditZeroStopsDeliveryAndCreditTwoResumesItWithTwoMessages(Vertx vertx, VertxTestContext testContext) {
    String register = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"paced\",\"group\":\"g\",\"prefetch\":5}";
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "consumer", register).compose(consumer ->
            consumer.send(credit(0))
                // Processed in order: by this reply the credit is 0.
                .compose(v -> consumer.expectNothingMore())
                .compose(v -> broker.registeredProducer(netClient, "producer", producerOn("paced")))
                .compose(producer -> producer.send(publish("m1"), publish("m2"), publish("m3"))
                    .compose(v -> producer.expectOks(3)))
                .compose(v -> consumer.expectNothingMore())
                .compose(v -> broker.snapshot())
                .compose(snapshot -> {
                  testContext.verify(() -> {
                    GroupStats group = TestBroker.group(snapshot, "paced", "g");
                    assertEquals(3, group.ready());
                    assertEquals(0, group.inFlight());
                    assertEquals(0, group.delivered());
                  });
                  return consumer.send(credit(2));
                })
                .compose(v -> consumer.expectExtendedMessage(1, "m1", "paced", 1))
                .compose(v -> consumer.expectExtendedMessage(2, "m2", "paced", 1))
                .compose(v -> consumer.expectNothingMore())
                .compose(v -> consumer.send(ack(1)))
                .compose(v -> consumer.expectExtendedMessage(3, "m3", "paced", 1))
                .compose(v -> consumer.send(ack(2), ack(3)))
                .compose(v -> consumer.expectNothingMore())))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aFullTopicPausesItsProducerUntilAcksDrainItBelowNinetyPercent(Vertx vertx, VertxTestContext testContext) {
    // Full at 4 retained; a paused producer resumes below 3.6, that is at 3.
    TestBroker.deploy(vertx, Map.of("max_topic_messages", 4, "overflow", "pause")).compose(broker ->
        broker.registeredConsumer(netClient, "consumer", consumerOn("small", "g")).compose(consumer ->
            broker.registeredProducer(netClient, "producer", producerOn("small")).compose(producer ->
                // Five publishes and a marker (an ack, which a producer gets wrong_role for).
                producer.send(publish("m1"), publish("m2"), publish("m3"), publish("m4"), publish("m5"), ack(0))
                    // The fourth fills the topic and is still confirmed.
                    .compose(v -> producer.expectOks(4))
                    .compose(v -> consumer.expectExtendedMessage(1, "m1", "small", 1))
                    .compose(v -> consumer.expectExtendedMessage(2, "m2", "small", 1))
                    .compose(v -> consumer.expectExtendedMessage(3, "m3", "small", 1))
                    .compose(v -> consumer.expectExtendedMessage(4, "m4", "small", 1))
                    // A round trip through the broker's loop after the four oks, then its figures:
                    // the fifth publish was not read, so it cannot have been answered.
                    .compose(v -> consumer.expectNothingMore())
                    .compose(v -> broker.snapshot())
                    .compose(snapshot -> {
                      testContext.verify(() -> {
                        TopicStats small = TestBroker.topic(snapshot, "small");
                        assertEquals(4, small.published());
                        assertEquals(4, small.retainedMessages());
                        assertTrue(small.full());
                        assertEquals(4, snapshot.broker().published());
                      });
                      // Ack 1 leaves 3: the producer resumes, m5 fills the topic again (ok, paused
                      // again); ack 2 leaves 3 again and lets the marker through.
                      return consumer.send(ack(1), ack(2), ack(3), ack(4));
                    })
                    .compose(v -> producer.expectOk())
                    .compose(v -> producer.expectError("wrong_role"))
                    .compose(v -> consumer.expectOnlyAndAck("small", 5))
                    .compose(v -> producer.send(publish("m6")))
                    .compose(v -> producer.expectOk())
                    .compose(v -> consumer.expectOnlyAndAck("small", 6))
                    .compose(v -> broker.awaitSnapshot("everything acked",
                        s -> TestBroker.topic(s, "small").retainedMessages() == 0))
                    .map(snapshot -> {
                      testContext.verify(() -> {
                        assertEquals(6, TestBroker.topic(snapshot, "small").published());
                        assertFalse(TestBroker.topic(snapshot, "small").full());
                      });
                      return null;
                    }))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aFullTopicInRejectModeAnswersTopicFullAndKeepsTheProducer(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("max_topic_messages", 2, "overflow", "reject")).compose(broker ->
        broker.registeredConsumer(netClient, "consumer", consumerOn("capped", "g")).compose(consumer ->
            broker.registeredProducer(netClient, "producer", producerOn("capped")).compose(producer ->
                producer.send(publish("m1"), publish("m2"), publish("refused"), publish("refused too"))
                    .compose(v -> producer.expectOks(2))
                    .compose(v -> producer.expectError("topic_full"))
                    .compose(v -> producer.expectError("topic_full"))
                    .compose(v -> consumer.expectExtendedMessage(1, "m1", "capped", 1))
                    .compose(v -> consumer.expectExtendedMessage(2, "m2", "capped", 1))
                    .compose(v -> consumer.expectNothingMore())
                    .compose(v -> broker.snapshot())
                    .compose(snapshot -> {
                      testContext.verify(() -> {
                        TopicStats capped = TestBroker.topic(snapshot, "capped");
                        assertEquals(2, capped.published(), "refused publishes are not queued");
                        assertEquals(2, capped.retainedMessages());
                        assertTrue(capped.full());
                      });
                      return consumer.send(ack(1), ack(0));
                    })
                    .compose(v -> consumer.expectError("unknown_message"))
                    // Room for one again, on the same connection; the refused ones took no id.
                    .compose(v -> producer.send(publish("m3")))
                    .compose(v -> producer.expectOk())
                    .compose(v -> producer.send(publish("refused again")))
                    .compose(v -> producer.expectError("topic_full"))
                    .compose(v -> consumer.expectExtendedMessage(3, "m3", "capped", 1))
                    .compose(v -> consumer.send(ack(2), ack(3)))
                    .compose(v -> consumer.expectNothingMore()))))
        .onComplete(testContext.succeedingThenComplete());
  }
}
