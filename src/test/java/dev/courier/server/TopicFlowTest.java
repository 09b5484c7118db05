package dev.courier.server;

import static dev.courier.server.WireClient.OK;
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
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("first", PREFETCH_ONE).consumer("second", PREFETCH_ONE)
            .producer("producer", producerOn("jobs"))
            .send("producer", publish("m1"), publish("m2"), publish("m3"), publish("m4"), publish("m5"), publish("m6"))
            .expectOks("producer", 6)
            .expectExtendedMessage("first", 1, "m1", "jobs", 1)
            .expectExtendedMessage("second", 2, "m2", "jobs", 1)
            // Each holds one: the marker's reply comes before any second message.
            .expectNothingMore("first").expectNothingMore("second")
            .snapshot(snapshot -> {
              GroupStats work = TestBroker.group(snapshot, "jobs", "work");
              assertEquals(2, work.inFlight());
              assertEquals(4, work.ready());
            })
            .send("first", ack(1)).expectExtendedMessage("first", 3, "m3", "jobs", 1)
            .send("second", ack(2)).expectExtendedMessage("second", 4, "m4", "jobs", 1)
            .send("first", ack(3)).expectExtendedMessage("first", 5, "m5", "jobs", 1)
            .send("second", ack(4)).expectExtendedMessage("second", 6, "m6", "jobs", 1)
            .send("first", ack(5)).send("second", ack(6))
            .expectNothingMore("first").expectNothingMore("second")
            .awaitSnapshot("all six acked", s -> TestBroker.group(s, "jobs", "work").acked() == 6)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void idleConsumersWithCreditOneTakeStrictTurnsEvenWhenTheFirstIsFreeAgain(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> {
          Scenario scenario = Scenario.on(broker, netClient)
              .consumer("first", PREFETCH_ONE).consumer("second", PREFETCH_ONE)
              .producer("producer", producerOn("jobs"));
          // One at a time, each acked before the next is published: both are always free, so
          // only the ring decides.
          for (long id = 1; id <= 6; id++) {
            scenario.send("producer", publish("m" + id)).expect("producer", OK)
                .expectOnlyAndAck(id % 2 == 1 ? "first" : "second", "jobs", id);
          }
          // The other consumer got nothing in between.
          return scenario.expectNothingMore("first").expectNothingMore("second").run();
        })
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void creditZeroStopsDeliveryAndCreditTwoResumesItWithTwoMessages(Vertx vertx, VertxTestContext testContext) {
    String register = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"paced\",\"group\":\"g\",\"prefetch\":5}";
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer", register)
            .send("consumer", credit(0))
            // Processed in order: by this reply the credit is 0.
            .expectNothingMore("consumer")
            .producer("producer", producerOn("paced"))
            .send("producer", publish("m1"), publish("m2"), publish("m3")).expectOks("producer", 3)
            .expectNothingMore("consumer")
            .snapshot(snapshot -> {
              GroupStats group = TestBroker.group(snapshot, "paced", "g");
              assertEquals(3, group.ready());
              assertEquals(0, group.inFlight());
              assertEquals(0, group.delivered());
            })
            .send("consumer", credit(2))
            .expectExtendedMessage("consumer", 1, "m1", "paced", 1)
            .expectExtendedMessage("consumer", 2, "m2", "paced", 1)
            .expectNothingMore("consumer")
            .send("consumer", ack(1)).expectExtendedMessage("consumer", 3, "m3", "paced", 1)
            .send("consumer", ack(2), ack(3))
            .expectNothingMore("consumer")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aFullTopicPausesItsProducerUntilAcksDrainItBelowNinetyPercent(Vertx vertx, VertxTestContext testContext) {
    // Full at 4 retained; a paused producer resumes below 3.6, that is at 3.
    TestBroker.deploy(vertx, Map.of("max_topic_messages", 4, "overflow", "pause"))
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer", consumerOn("small", "g"))
            .producer("producer", producerOn("small"))
            // Five publishes and a marker (an ack, which a producer gets wrong_role for).
            .send("producer", publish("m1"), publish("m2"), publish("m3"), publish("m4"), publish("m5"), ack(0))
            // The fourth fills the topic and is still confirmed.
            .expectOks("producer", 4)
            .expectExtendedMessage("consumer", 1, "m1", "small", 1)
            .expectExtendedMessage("consumer", 2, "m2", "small", 1)
            .expectExtendedMessage("consumer", 3, "m3", "small", 1)
            .expectExtendedMessage("consumer", 4, "m4", "small", 1)
            // A round trip through the broker's loop after the four oks, then its figures:
            // the fifth publish was not read, so it cannot have been answered.
            .expectNothingMore("consumer")
            .snapshot(snapshot -> {
              TopicStats small = TestBroker.topic(snapshot, "small");
              assertEquals(4, small.published());
              assertEquals(4, small.retainedMessages());
              assertTrue(small.full());
              assertEquals(4, snapshot.broker().published());
            })
            // Ack 1 leaves 3: the producer resumes, m5 fills the topic again (ok, paused
            // again); ack 2 leaves 3 again and lets the marker through.
            .send("consumer", ack(1), ack(2), ack(3), ack(4))
            .expect("producer", OK).expectError("producer", "wrong_role")
            .expectOnlyAndAck("consumer", "small", 5)
            .send("producer", publish("m6")).expect("producer", OK)
            .expectOnlyAndAck("consumer", "small", 6)
            .awaitSnapshot("everything acked", s -> TestBroker.topic(s, "small").retainedMessages() == 0,
                snapshot -> {
                  assertEquals(6, TestBroker.topic(snapshot, "small").published());
                  assertFalse(TestBroker.topic(snapshot, "small").full());
                })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aFullTopicInRejectModeAnswersTopicFullAndKeepsTheProducer(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("max_topic_messages", 2, "overflow", "reject"))
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer", consumerOn("capped", "g"))
            .producer("producer", producerOn("capped"))
            .send("producer", publish("m1"), publish("m2"), publish("refused"), publish("refused too"))
            .expectOks("producer", 2)
            .expectError("producer", "topic_full").expectError("producer", "topic_full")
            .expectExtendedMessage("consumer", 1, "m1", "capped", 1)
            .expectExtendedMessage("consumer", 2, "m2", "capped", 1)
            .expectNothingMore("consumer")
            .snapshot(snapshot -> {
              TopicStats capped = TestBroker.topic(snapshot, "capped");
              assertEquals(2, capped.published(), "refused publishes are not queued");
              assertEquals(2, capped.retainedMessages());
              assertTrue(capped.full());
            })
            .send("consumer", ack(1), ack(0)).expectError("consumer", "unknown_message")
            // Room for one again, on the same connection; the refused ones took no id.
            .send("producer", publish("m3")).expect("producer", OK)
            .send("producer", publish("refused again")).expectError("producer", "topic_full")
            .expectExtendedMessage("consumer", 3, "m3", "capped", 1)
            .send("consumer", ack(2), ack(3))
            .expectNothingMore("consumer")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }
}
