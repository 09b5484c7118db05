package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import org.opentest4j.AssertionFailedError;

/** Ack timeouts, requeueing, disconnects, credit and the shutdown drain, over real sockets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DeliveryTest {
  /** Small, so a redelivery test takes a fraction of a second; acks in the tests take far less. */
  private static final int SHORT_ACK_TIMEOUT_MS = 200;
  /** Far beyond every deadline of a test: whatever still happens did not wait for a timeout. */
  private static final int LONG_ACK_TIMEOUT_MS = 60_000;

  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void redeliversToAnotherConsumerAfterAckTimeoutWithTheSameId(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("ack_timeout_ms", SHORT_ACK_TIMEOUT_MS)).compose(broker ->
        broker.registeredConsumer(netClient, "stalled").compose(stalled ->
            broker.registeredConsumer(netClient, "healthy").compose(healthy ->
                broker.producer(netClient, "producer")
                    .compose(producer -> producer.send(publish("x")).compose(v -> producer.expect(OK)))
                    // The ring's first consumer gets it and never acks.
                    .compose(v -> stalled.expectMessage(1, "x"))
                    .compose(v -> healthy.expectMessage(1, "x"))
                    .compose(v -> healthy.send(ack(1)))
                    // Too late: the message was taken back. The reply is also the marker that the
                    // stalled consumer got nothing else (no second copy).
                    .compose(v -> stalled.send(ack(1)))
                    .compose(v -> stalled.expectError("unknown_message"))
                    .compose(v -> broker.awaitStats("the redelivery acked",
                        s -> s.acked() == 1 && s.inFlight() == 0 && s.ready() == 0))
                    .map(stats -> {
                      testContext.verify(() -> {
                        assertEquals(1, stats.redelivered());
                        assertEquals(2, stats.delivered());
                      });
                      return null;
                    }))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void timedOutMessageIsRequeuedAtTheFrontAheadOfLaterMessages(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("ack_timeout_ms", SHORT_ACK_TIMEOUT_MS, "max_in_flight_per_consumer", 1);
    TestBroker.deploy(vertx, config).compose(broker ->
        broker.registeredConsumer(netClient, "consumer").compose(consumer ->
            broker.producer(netClient, "producer")
                .compose(producer -> producer.send(publish("a"), publish("b"), publish("c"))
                    .compose(v -> producer.expect(OK))
                    .compose(v -> producer.expect(OK))
                    .compose(v -> producer.expect(OK)))
                .compose(v -> consumer.expectMessage(1, "a"))
                .compose(v -> broker.stats())
                .compose(stats -> {
                  testContext.verify(() -> {
                    assertEquals(1, stats.inFlight());
                    assertEquals(2, stats.ready(), "b and c wait behind the unacked a");
                  });
                  // Not acked: after the timeout a goes back to the front, ahead of b and c.
                  return consumer.expectMessage(1, "a");
                })
                .compose(v -> consumer.send(ack(1)))
                .compose(v -> consumer.expectMessage(2, "b"))
                .compose(v -> consumer.send(ack(2)))
                .compose(v -> consumer.expectMessage(3, "c"))
                .compose(v -> consumer.send(ack(3)))
                .compose(v -> broker.awaitStats("all acked", s -> s.acked() == 3 && s.inFlight() == 0))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void disconnectedConsumersMessagesGoToAnotherConsumerAtOnceInOrder(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS)).compose(broker ->
        broker.registeredConsumer(netClient, "leaving").compose(leaving ->
            broker.registeredConsumer(netClient, "staying").compose(staying ->
                broker.producer(netClient, "producer")
                    .compose(producer -> producer.send(publish("m1"), publish("m2"), publish("m3"), publish("m4"))
                        .compose(v -> producer.expect(OK))
                        .compose(v -> producer.expect(OK))
                        .compose(v -> producer.expect(OK))
                        .compose(v -> producer.expect(OK)))
                    .compose(v -> leaving.expectMessage(1, "m1"))
                    .compose(v -> leaving.expectMessage(3, "m3"))
                    .compose(v -> staying.expectMessage(2, "m2"))
                    .compose(v -> staying.expectMessage(4, "m4"))
                    .compose(v -> staying.send(ack(2), ack(4)))
                    .compose(v -> leaving.close())
                    // Within the expectation deadline, far inside the 60 s ack timeout.
                    .compose(v -> staying.expectMessage(1, "m1"))
                    .compose(v -> staying.expectMessage(3, "m3"))
                    .compose(v -> staying.send(ack(1), ack(3), ack(0)))
                    .compose(v -> staying.expectError("unknown_message"))
                    .compose(v -> broker.awaitStats("all four acked",
                        s -> s.acked() == 4 && s.inFlight() == 0 && s.ready() == 0 && s.consumers() == 1))
                    .map(stats -> {
                      testContext.verify(() -> assertEquals(2, stats.redelivered()));
                      return null;
                    }))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void consumerGetsNoMoreThanMaxInFlightUntilItAcks(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS, "max_in_flight_per_consumer", 2);
    TestBroker.deploy(vertx, config).compose(broker ->
        broker.registeredConsumer(netClient, "consumer").compose(consumer ->
            broker.producer(netClient, "producer")
                .compose(producer -> producer.send(publish("m1"), publish("m2"), publish("m3"))
                    .compose(v -> producer.expect(OK))
                    .compose(v -> producer.expect(OK))
                    .compose(v -> producer.expect(OK)))
                .compose(v -> consumer.expectMessage(1, "m1"))
                .compose(v -> consumer.expectMessage(2, "m2"))
                .compose(v -> broker.stats())
                .compose(stats -> {
                  testContext.verify(() -> {
                    assertEquals(2, stats.inFlight());
                    assertEquals(1, stats.ready(), "the third waits for credit");
                  });
                  // Marker: the reply to ack 0 must come next, not message 3.
                  return consumer.send(ack(0));
                })
                .compose(v -> consumer.expectError("unknown_message"))
                .compose(v -> consumer.send(ack(1)))
                .compose(v -> consumer.expectMessage(3, "m3"))
                .compose(v -> consumer.send(ack(2), ack(3)))
                .compose(v -> broker.awaitStats("all acked", s -> s.acked() == 3 && s.inFlight() == 0))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void undeployDrainsRefusesPublishesAndFinishesOnTheLastAck(Vertx vertx, VertxTestContext testContext) {
    // A drain timeout far beyond the test's own deadlines: only the ack can end the drain in time.
    Map<String, Object> config = Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS, "drain_timeout_ms", 60_000);
    TestBroker.deploy(vertx, config).compose(broker ->
        broker.registeredConsumer(netClient, "consumer").compose(consumer ->
            broker.producer(netClient, "producer").compose(producer ->
                producer.send(publish("held"))
                    .compose(v -> producer.expect(OK))
                    .compose(v -> consumer.expectMessage(1, "held"))
                    .compose(v -> {
                      Future<Void> undeployed = vertx.undeploy(broker.deploymentId);
                      return broker.awaitStats("draining", s -> s.draining())
                          .compose(v2 -> producer.send(publish("late")))
                          .compose(v2 -> producer.expectError("shutting_down"))
                          // Recoverable: the producer stays connected and is refused again.
                          .compose(v2 -> producer.send(publish("later")))
                          .compose(v2 -> producer.expectError("shutting_down"))
                          .compose(v2 -> newConnectionIsTurnedAway(broker))
                          .compose(v2 -> broker.stats())
                          .compose(stats -> {
                            testContext.verify(() -> {
                              assertEquals(1, stats.published(), "refused publishes are not queued");
                              assertEquals(1, stats.inFlight());
                              assertFalse(undeployed.isComplete(), "undeploy must wait for the unacked message");
                            });
                            return consumer.send(ack(1));
                          })
                          .compose(v2 -> within(vertx, undeployed, WireClient.DEADLINE_MS,
                              "undeploy did not finish after the last ack (drain_timeout_ms is 60 s)"));
                    })
                    .compose(v -> consumer.expectClose())
                    .compose(v -> producer.expectClose()))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void undeployGivesUpOnAnUnackedMessageAfterDrainTimeoutAndCloses(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS, "drain_timeout_ms", 200);
    TestBroker.deploy(vertx, config).compose(broker ->
        broker.registeredConsumer(netClient, "silent consumer").compose(consumer ->
            broker.producer(netClient, "producer").compose(producer ->
                producer.send(publish("never acked"))
                    .compose(v -> producer.expect(OK))
                    .compose(v -> consumer.expectMessage(1, "never acked"))
                    .compose(v -> within(vertx, vertx.undeploy(broker.deploymentId), WireClient.DEADLINE_MS,
                        "undeploy did not give up after drain_timeout_ms"))
                    .compose(v -> consumer.expectClose())
                    .compose(v -> producer.expectClose()))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void undeployWithNothingInFlightClosesConnectionsAtOnce(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("drain_timeout_ms", 60_000);
    TestBroker.deploy(vertx, config).compose(broker ->
        broker.registeredConsumer(netClient, "consumer").compose(consumer ->
            broker.producer(netClient, "producer").compose(producer ->
                producer.send(publish("m1"))
                    .compose(v -> producer.expect(OK))
                    .compose(v -> consumer.expectMessage(1, "m1"))
                    .compose(v -> consumer.send(ack(1)))
                    .compose(v -> broker.awaitStats("acked", s -> s.acked() == 1))
                    .compose(v -> within(vertx, vertx.undeploy(broker.deploymentId), WireClient.DEADLINE_MS,
                        "undeploy with nothing in flight waited (drain_timeout_ms is 60 s)"))
                    .compose(v -> consumer.expectClose())
                    .compose(v -> producer.expectClose())
                    .map(v -> {
                      testContext.verify(() -> assertTrue(vertx.deploymentIDs().isEmpty()));
                      return null;
                    }))))
        .onComplete(testContext.succeedingThenComplete());
  }

  /**
   * While draining the broker takes no new connections: the listener is shut down, so a connect
   * is refused or, if it slipped in, closed by the broker without a frame.
   */
  private Future<Void> newConnectionIsTurnedAway(TestBroker broker) {
    // Observed with Vert.x 5.0.10: refused, because NetServer.shutdown unbinds at once.
    return broker.connect(netClient, "newcomer")
        .transform(ar -> ar.succeeded() ? ar.result().expectClose() : Future.succeededFuture());
  }

  /** {@code future}, or a failure if it has not completed within {@code ms}. */
  static <T> Future<T> within(Vertx vertx, Future<T> future, long ms, String failure) {
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(ms, t -> promise.tryFail(new AssertionFailedError(failure)));
    future.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }
}
