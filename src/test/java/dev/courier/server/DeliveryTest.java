package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.BrokerStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
    TestBroker.deploy(vertx, Map.of("ack_timeout_ms", SHORT_ACK_TIMEOUT_MS))
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("stalled").consumer("healthy").producer("producer")
            .send("producer", publish("x")).expect("producer", OK)
            // The ring's first consumer gets it and never acks.
            .expectMessage("stalled", 1, "x")
            .expectMessage("healthy", 1, "x")
            .send("healthy", ack(1))
            // Too late: the message was taken back. The reply is also the marker that the
            // stalled consumer got nothing else (no second copy).
            .send("stalled", ack(1)).expectError("stalled", "unknown_message")
            .awaitStats("the redelivery acked", s -> s.acked() == 1 && s.inFlight() == 0 && s.ready() == 0,
                stats -> {
                  assertEquals(1, stats.redelivered());
                  assertEquals(2, stats.delivered());
                })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void timedOutMessageIsRequeuedAtTheFrontAheadOfLaterMessages(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("ack_timeout_ms", SHORT_ACK_TIMEOUT_MS, "max_in_flight_per_consumer", 1);
    TestBroker.deploy(vertx, config)
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer").producer("producer")
            .send("producer", publish("a"), publish("b"), publish("c")).expect("producer", OK, OK, OK)
            .expectMessage("consumer", 1, "a")
            .stats(stats -> {
              assertEquals(1, stats.inFlight());
              assertEquals(2, stats.ready(), "b and c wait behind the unacked a");
            })
            // Not acked: after the timeout a goes back to the front, ahead of b and c.
            .expectMessage("consumer", 1, "a")
            .send("consumer", ack(1)).expectMessage("consumer", 2, "b")
            .send("consumer", ack(2)).expectMessage("consumer", 3, "c")
            .send("consumer", ack(3))
            .awaitStats("all acked", s -> s.acked() == 3 && s.inFlight() == 0)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void disconnectedConsumersMessagesGoToAnotherConsumerAtOnceInOrder(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS))
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("leaving").consumer("staying").producer("producer")
            .send("producer", publish("m1"), publish("m2"), publish("m3"), publish("m4"))
            .expect("producer", OK, OK, OK, OK)
            .expectMessage("leaving", 1, "m1").expectMessage("leaving", 3, "m3")
            .expectMessage("staying", 2, "m2").expectMessage("staying", 4, "m4")
            .send("staying", ack(2), ack(4))
            .close("leaving")
            // Within the expectation deadline, far inside the 60 s ack timeout.
            .expectMessage("staying", 1, "m1").expectMessage("staying", 3, "m3")
            .send("staying", ack(1), ack(3), ack(0)).expectError("staying", "unknown_message")
            .awaitStats("all four acked",
                s -> s.acked() == 4 && s.inFlight() == 0 && s.ready() == 0 && s.consumers() == 1,
                stats -> assertEquals(2, stats.redelivered()))
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void consumerGetsNoMoreThanMaxInFlightUntilItAcks(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS, "max_in_flight_per_consumer", 2);
    TestBroker.deploy(vertx, config)
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer").producer("producer")
            .send("producer", publish("m1"), publish("m2"), publish("m3")).expect("producer", OK, OK, OK)
            .expectMessage("consumer", 1, "m1").expectMessage("consumer", 2, "m2")
            .stats(stats -> {
              assertEquals(2, stats.inFlight());
              assertEquals(1, stats.ready(), "the third waits for credit");
            })
            // Marker: the reply to ack 0 must come next, not message 3.
            .expectNothingMore("consumer")
            .send("consumer", ack(1)).expectMessage("consumer", 3, "m3")
            .send("consumer", ack(2), ack(3))
            .awaitStats("all acked", s -> s.acked() == 3 && s.inFlight() == 0)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void undeployDrainsRefusesPublishesAndFinishesOnTheLastAck(Vertx vertx, VertxTestContext testContext) {
    // A drain timeout far beyond the test's own deadlines: only the ack can end the drain in time.
    Map<String, Object> config = Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS, "drain_timeout_ms", 60_000);
    AtomicReference<Future<Void>> undeployed = new AtomicReference<>();
    TestBroker.deploy(vertx, config)
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer").producer("producer")
            .send("producer", publish("held")).expect("producer", OK)
            .expectMessage("consumer", 1, "held")
            .then("undeploy", s -> {
              undeployed.set(vertx.undeploy(broker.deploymentId));
              return Future.succeededFuture();
            })
            .awaitStats("draining", BrokerStats::draining)
            .send("producer", publish("late")).expectError("producer", "shutting_down")
            // Recoverable: the producer stays connected and is refused again.
            .send("producer", publish("later")).expectError("producer", "shutting_down")
            .then("a new connection is turned away", s -> newConnectionIsTurnedAway(broker))
            .stats(stats -> {
              assertEquals(1, stats.published(), "refused publishes are not queued");
              assertEquals(1, stats.inFlight());
              assertFalse(undeployed.get().isComplete(), "undeploy must wait for the unacked message");
            })
            .send("consumer", ack(1))
            .then("undeploy finishes", s -> within(vertx, undeployed.get(), WireClient.DEADLINE_MS,
                "undeploy did not finish after the last ack (drain_timeout_ms is 60 s)"))
            .expectClose("consumer").expectClose("producer")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void undeployGivesUpOnAnUnackedMessageAfterDrainTimeoutAndCloses(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("ack_timeout_ms", LONG_ACK_TIMEOUT_MS, "drain_timeout_ms", 200);
    TestBroker.deploy(vertx, config)
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("silent consumer").producer("producer")
            .send("producer", publish("never acked")).expect("producer", OK)
            .expectMessage("silent consumer", 1, "never acked")
            .then("undeploy", s -> within(vertx, vertx.undeploy(broker.deploymentId), WireClient.DEADLINE_MS,
                "undeploy did not give up after drain_timeout_ms"))
            .expectClose("silent consumer").expectClose("producer")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void undeployWithNothingInFlightClosesConnectionsAtOnce(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("drain_timeout_ms", 60_000);
    TestBroker.deploy(vertx, config)
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer").producer("producer")
            .send("producer", publish("m1")).expect("producer", OK)
            .expectMessage("consumer", 1, "m1")
            .send("consumer", ack(1))
            .awaitStats("acked", s -> s.acked() == 1)
            .then("undeploy", s -> within(vertx, vertx.undeploy(broker.deploymentId), WireClient.DEADLINE_MS,
                "undeploy with nothing in flight waited (drain_timeout_ms is 60 s)"))
            .expectClose("consumer").expectClose("producer")
            .then("nothing left deployed", s -> {
              assertTrue(vertx.deploymentIDs().isEmpty());
              return Future.succeededFuture();
            })
            .run())
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
