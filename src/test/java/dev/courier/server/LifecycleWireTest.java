package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message life cycle on the wire, as transcripts: nack (now and later), touch, a group's
 * max_deliveries and dead letters, redrive, a register that conflicts with its group, and each
 * durable part across a restart.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LifecycleWireTest {
  private static final String BILLING = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\","
      + "\"group\":\"billing\",\"max_deliveries\":2}";

  @TempDir
  Path dataDir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private static String nack(long id) {
    return "{\"type\":\"nack\",\"id\":" + id + "}";
  }

  @Test
  void aNackGivesTheMessageBackNowOrAfterItsDelayAndATouchHasNoReply(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("worker", consumerOn("jobs", "g"))
            .producer("producer", producerOn("jobs"))
            .send("producer", publish("j1")).expect("producer", OK)
            .expectExtendedMessage("worker", 1, "j1", "jobs", 1)
            .send("worker", nack(1))
            .expectExtendedMessage("worker", 1, "j1", "jobs", 2)
            .send("worker", "{\"type\":\"nack\",\"id\":1,\"delay_ms\":50}")
            .expectExtendedMessage("worker", 1, "j1", "jobs", 3)
            .send("worker", "{\"type\":\"touch\",\"id\":1}")
            // Barrier: the touch's error, had there been one, would come before this one.
            .send("worker", ack(42)).expectError("worker", "unknown_message")
            .send("worker", "{\"type\":\"touch\",\"id\":42}").expectError("worker", "unknown_message")
            .send("worker", nack(42)).expectError("worker", "unknown_message")
            .send("worker", ack(1)).expectNothingMore("worker")
            .send("producer", nack(1)).expectError("producer", "wrong_role")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aMessageThatFailsMaxDeliveriesIsDeadLetteredWithItsHistoryAndRedriveBringsItBack(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("billing", BILLING)
            .consumer("ops", consumerOn("orders.dlq", "ops"))
            .consumer("audit", consumerOn("orders", "audit"))
            .producer("producer", producerOn("orders"))
            .send("producer", "{\"type\":\"publish\",\"payload\":\"order 7\",\"key\":\"c3\",\"headers\":{\"trace\":\"t1\"}}")
            .expect("producer", OK)
            .expectExtendedMessage("billing", 1, "order 7", "orders", 1, frame -> { })
            .send("billing", nack(1))
            .expectExtendedMessage("billing", 1, "order 7", "orders", 2, frame -> { })
            .send("billing", nack(1))
            .expectExtendedMessage("ops", 1, "order 7", "orders.dlq", 1, frame -> {
              assertEquals("c3", frame.getString("key"));
              assertEquals(new JsonObject().put("trace", "t1").put("x-original-topic", "orders")
                  .put("x-original-group", "billing").put("x-original-id", "1").put("x-attempts", "2")
                  .put("x-reason", "nack"), frame.getJsonObject("headers"));
            })
            .send("ops", ack(1))
            .send("billing", ack(99)).expectError("billing", "unknown_message")
            .connect("admin")
            .send("admin", "{\"type\":\"redrive\",\"topic\":\"orders.dlq\",\"limit\":10}")
            .expect("admin", "{\"type\":\"redrive_reply\",\"moved\":1}")
            .expectExtendedMessage("billing", 2, "order 7", "orders", 1, frame -> assertEquals(
                new JsonObject().put("trace", "t1"), frame.getJsonObject("headers"), "its own headers only"))
            .send("admin", "{\"type\":\"redrive\",\"topic\":\"orders.dlq\"}")
            .expect("admin", "{\"type\":\"redrive_reply\",\"moved\":0}")
            .expectExtendedMessage("audit", 1, "order 7", "orders", 1, frame -> { })
            .send("audit", ack(1))
            // Barrier: a copy of the redriven message for audit would come before this error.
            .expectNothingMore("audit")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aRegisterAskingAGroupForOtherSettingsIsRefusedAndOneWithoutThemJoins(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("billing", BILLING)
            .connect("other")
            .send("other", "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\",\"group\":\"billing\","
                + "\"max_deliveries\":5}")
            .expectError("other", "bad_request")
            .consumer("joiner", consumerOn("orders", "billing"))
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aDelayedNackItsAttemptsAndTheGroupsSettingsSurviveARestart(Vertx vertx, VertxTestContext testContext) {
    Scenario.start(new DurableBroker(vertx, dataDir), netClient)
        .consumer("billing", BILLING)
        .producer("producer", producerOn("orders"))
        .send("producer", publish("order 1")).expect("producer", OK)
        .expectExtendedMessage("billing", 1, "order 1", "orders", 1)
        .send("billing", "{\"type\":\"nack\",\"id\":1,\"delay_ms\":300}")
        .send("billing", ack(99)).expectError("billing", "unknown_message")
        .restart()
        .connect("other")
        .send("other", "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\",\"group\":\"billing\","
            + "\"max_deliveries\":5}")
        .expectError("other", "bad_request")
        .consumer("ops", consumerOn("orders.dlq", "ops"))
        // No barrier: the delay may be over by now, and the retry then comes at once.
        .subscribe("billing again", consumerOn("orders", "billing"))
        .expectExtendedMessage("billing again", 1, "order 1", "orders", 2)
        .send("billing again", nack(1))
        .expectExtendedMessage("ops", 1, "order 1", "orders.dlq", 1,
            frame -> assertEquals("2", frame.getJsonObject("headers").getString("x-attempts")))
        .send("ops", ack(1))
        .restart()
        .consumer("ops again", consumerOn("orders.dlq", "ops"))
        .consumer("billing last", consumerOn("orders", "billing"))
        .expectNothingMore("billing last")
        .expectNothingMore("ops again")
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }
}
