package dev.courier.server;

import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;
import static dev.courier.server.WireClient.publishTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.courier.core.Broker;
import dev.courier.core.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;
import org.slf4j.LoggerFactory;

/**
 * Topic limits exact under pipelining in both storage modes, and the {@code max_topics} /
 * {@code max_groups_per_topic} quotas answered with {@code limit_reached}, over real sockets.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TopicLimitsTest {
  private static final int LIMIT = 100;
  private static final int PRODUCERS = 3;
  private static final int PER_PRODUCER = 150;

  @TempDir
  Path dataDir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private Map<String, Object> settings(String storage, Object... keyValues) {
    return TestBroker.storageSettings(storage, dataDir, keyValues);
  }

  /**
   * Three producers each pipeline 150 publishes in one write into a topic that holds 100; the
   * consumer comes only once the topic is full. Retained, sampled all along, never passes 100;
   * exactly 100 are confirmed before the consumer comes; then every publish gets its ok and every
   * message is delivered once, in its producer's order.
   */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "durable"})
  void pipeliningProducersNeverPushAFullTopicPastItsLimitAndAllGetOkOnceItDrains(String storage, Vertx vertx,
      VertxTestContext testContext) {
    AtomicInteger oks = new AtomicInteger();
    AtomicLong maxRetained = new AtomicLong();
    List<JsonObject> delivered = Collections.synchronizedList(new ArrayList<>());
    TestBroker.deploy(vertx, settings(storage, "max_topic_messages", LIMIT, "overflow", "pause")).compose(broker -> {
      long sampler = vertx.setPeriodic(2, t -> broker.snapshot().onSuccess(s -> {
        TopicStats capped = TestBroker.topic(s, "capped");
        if (capped != null) {
          maxRetained.accumulateAndGet(capped.retainedMessages(), Math::max);
        }
      }));
      List<Future<Void>> confirmed = new ArrayList<>();
      Future<Void> allSent = Future.succeededFuture();
      for (int p = 0; p < PRODUCERS; p++) {
        String prefix = "p" + p + "-";
        allSent = allSent.compose(v -> broker.registeredProducer(netClient, prefix, producerOn("capped"))).compose(producer -> {
          confirmed.add(countOks(producer, PER_PRODUCER, oks));
          String[] publishes = new String[PER_PRODUCER];
          for (int i = 0; i < PER_PRODUCER; i++) {
            publishes[i] = publish(prefix + i);
          }
          return producer.send(publishes);
        });
      }
      return allSent
          .compose(v -> broker.awaitSnapshot("100 published and confirmed",
              s -> oks.get() == LIMIT && TestBroker.topic(s, "capped").published() == LIMIT))
          // Whatever was admitted past the limit would be committed before a later publish's ok.
          .compose(v -> broker.registeredProducer(netClient, "barrier", producerOn("barrier")))
          .compose(barrier -> barrier.send(publish("b")).compose(v -> barrier.expectOk()))
          .compose(v -> broker.snapshot())
          .compose(full -> {
            testContext.verify(() -> {
              TopicStats capped = TestBroker.topic(full, "capped");
              assertEquals(LIMIT, capped.published(), "no publish was admitted past the limit");
              assertEquals(LIMIT, capped.retainedMessages());
              assertTrue(capped.full());
              assertEquals(LIMIT, oks.get());
            });
            return broker.consumer(netClient, "late consumer", consumerOn("capped", "g"));
          })
          .compose(consumer -> Future.all(Future.all(confirmed), consumeAndAck(consumer, PRODUCERS * PER_PRODUCER,
              delivered)))
          .compose(v -> broker.awaitSnapshot("everything acked",
              s -> TestBroker.topic(s, "capped").retainedMessages() == 0))
          .map(done -> {
            vertx.cancelTimer(sampler);
            testContext.verify(() -> {
              assertTrue(maxRetained.get() <= LIMIT, "retained reached " + maxRetained.get());
              assertEquals(PRODUCERS * PER_PRODUCER, TestBroker.topic(done, "capped").published());
              List<Long> ids = delivered.stream().map(m -> m.getLong("id")).sorted().toList();
              for (int i = 0; i < ids.size(); i++) {
                assertEquals(i + 1, ids.get(i), "every id delivered once");
              }
              for (int p = 0; p < PRODUCERS; p++) {
                String prefix = "p" + p + "-";
                List<String> payloads = delivered.stream().map(m -> m.getString("payload"))
                    .filter(payload -> payload.startsWith(prefix)).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < PER_PRODUCER; i++) {
                  expected.add(prefix + i);
                }
                assertEquals(expected, payloads, "producer " + p + ": nothing lost, in publish order");
              }
            });
            return null;
          });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aPublishThatWouldCreateATopicPastMaxTopicsGetsLimitReachedInItsPlace(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings("durable", "max_topics", 2)).compose(broker ->
        broker.registeredProducer(netClient, "producer", producerOn("a")).compose(producer ->
            producer.send(publish("1"), publishTo("b", "1"), publishTo("c", "1"), publish("2"))
                // With durable storage the refusal is known before the oks: it still waits its turn.
                .compose(v -> producer.expectOks(2))
                .compose(v -> producer.expectError("limit_reached"))
                .compose(v -> producer.expectOk())
                .compose(v -> broker.snapshot())
                .map(snapshot -> {
                  testContext.verify(() -> {
                    assertEquals(null, TestBroker.topic(snapshot, "c"));
                    assertEquals(2, TestBroker.topic(snapshot, "a").published());
                  });
                  return null;
                })))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aRegisterThatWouldCreateAGroupOrTopicPastItsQuotaGetsLimitReachedAndMayRegisterAgain(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings("memory", "max_groups_per_topic", 1, "max_topics", 1)).compose(broker ->
        broker.registeredConsumer(netClient, "first", consumerOn("t", "one")).compose(first ->
            broker.connect(netClient, "second").compose(second ->
                second.send(consumerOn("t", "two"))
                    .compose(v -> second.expectError("limit_reached"))
                    .compose(v -> second.send(consumerOn("other", "one")))
                    .compose(v -> second.expectError("limit_reached"))
                    // Still unregistered: it may join the existing group.
                    .compose(v -> second.send(consumerOn("t", "one")))
                    .compose(v -> second.expectNothingMore())
                    .compose(v -> broker.registeredProducer(netClient, "producer", producerOn("t")))
                    .compose(producer -> producer.send(publish("m1"), publish("m2")).compose(v -> producer.expectOks(2)))
                    .compose(v -> first.expectExtendedMessage(1, "m1", "t", 1))
                    .compose(v -> second.expectExtendedMessage(2, "m2", "t", 1))
                    .compose(v -> broker.snapshot())
                    .map(snapshot -> {
                      testContext.verify(() -> {
                        assertEquals(1, snapshot.topics().size());
                        assertEquals(1, TestBroker.topic(snapshot, "t").groups().size());
                      });
                      return null;
                    }))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void topicsRecoveredPastMaxTopicsKeepWorkingWithAWarningWhileNewOnesAreRefused(Vertx vertx,
      VertxTestContext testContext) {
    ListAppender<ILoggingEvent> brokerLog = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(Broker.class);
    brokerLog.start();
    logger.addAppender(brokerLog);
    TestBroker.deploy(vertx, settings("durable")).compose(broker ->
        broker.registeredProducer(netClient, "before", producerOn("a")).compose(producer ->
            producer.send(publish("m1"), publishTo("b", "m1"), publishTo("c", "m1"))
                .compose(v -> producer.expectOks(3)))
            .compose(v -> broker.undeploy()))
        .compose(v -> TestBroker.deploy(vertx, settings("durable", "max_topics", 2)))
        .compose(broker -> broker.registeredProducer(netClient, "after", producerOn("a")).compose(producer ->
            producer.send(publish("m2"), publishTo("c", "m2"), publishTo("new", "m1"))
                .compose(v -> producer.expectOks(2))
                .compose(v -> producer.expectError("limit_reached")))
            .compose(v -> broker.consumer(netClient, "consumer", consumerOn("b", "g")))
            .compose(consumer -> consumer.expectOnlyAndAck("b", 1)))
        .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
          logger.detachAppender(brokerLog);
          assertTrue(brokerLog.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                  && e.getFormattedMessage().contains("more than max_topics=2")),
              "a WARN says recovery found more topics than max_topics");
          testContext.completeNow();
        })));
  }

  /** Reads {@code count} frames from a producer, each an ok, counting them as they come. */
  private static Future<Void> countOks(WireClient producer, int count, AtomicInteger oks) {
    if (count == 0) {
      return Future.succeededFuture();
    }
    return producer.nextText().compose(text -> {
      if (!WireClient.OK.equals(text)) {
        return Future.failedFuture(new AssertionFailedError(producer.name() + ": expected ok but got " + text));
      }
      oks.incrementAndGet();
      return countOks(producer, count - 1, oks);
    });
  }

  /** Receives {@code count} messages, acking each as it arrives. */
  private static Future<Void> consumeAndAck(WireClient consumer, int count, List<JsonObject> delivered) {
    if (count == 0) {
      return Future.succeededFuture();
    }
    return consumer.next().compose(frame -> {
      if (!"message".equals(frame.getString("type"))) {
        return Future.failedFuture(new AssertionFailedError("expected a message but got " + frame.encode()));
      }
      delivered.add(frame);
      return consumer.send(WireClient.ack(frame.getLong("id")));
    }).compose(v -> consumeAndAck(consumer, count - 1, delivered));
  }
}
