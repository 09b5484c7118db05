package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Publish delay_ms and deliver_at on the wire, as transcripts, and across a restart. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DelayedPublishWireTest {
  @TempDir
  Path dataDir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  /**
   * The delivery came no earlier than {@code delayMillis} after the test began: a lower bound of
   * its due time, which the broker fixes when it admits the publish (before its timestamp, which
   * is when storage wrote it).
   */
  private static Consumer<JsonObject> notBefore(long delayMillis) {
    long earliestDue = System.currentTimeMillis() + delayMillis;
    return frame -> {
      long now = System.currentTimeMillis();
      assertTrue(now >= earliestDue, "delivered " + (earliestDue - now) + " ms before it was due");
    };
  }

  @Test
  void aDelayedPublishIsOkWithItsIdAndComesAfterTheMessagesPublishedBehindIt(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("worker", consumerOn("jobs", "g"))
            .consumer("audit", consumerOn("jobs", "audit"))
            .producer("producer", producerOn("jobs"))
            .send("producer", "{\"type\":\"publish\",\"payload\":\"later\",\"delay_ms\":400}", publish("now"))
            .expect("producer", "{\"type\":\"ok\",\"id\":1}", OK)
            .expectExtendedMessage("worker", 2, "now", "jobs", 1)
            .expectExtendedMessage("audit", 2, "now", "jobs", 1)
            .send("worker", ack(2))
            .send("producer", WireClient.STATS)
            .expectStatsReply("producer", stats -> assertEquals(1,
                stats.getJsonArray("topics").getJsonObject(0).getLong("delayed"), stats.encode()))
            .expectExtendedMessage("worker", 1, "later", "jobs", 1, notBefore(400))
            .expectExtendedMessage("audit", 1, "later", "jobs", 1, notBefore(400))
            .send("worker", ack(1)).expectNothingMore("worker")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aDeliverAtIsAWallTimeAndOneAlreadyPastIsDeliveredAtOnce(Vertx vertx, VertxTestContext testContext) {
    long soon = System.currentTimeMillis() + 300;
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("worker", consumerOn("jobs", "g"))
            .producer("producer", producerOn("jobs"))
            .send("producer", "{\"type\":\"publish\",\"payload\":\"at\",\"deliver_at\":" + soon + "}",
                "{\"type\":\"publish\",\"payload\":\"past\",\"deliver_at\":1000}")
            .expect("producer", "{\"type\":\"ok\",\"id\":1}", "{\"type\":\"ok\",\"id\":2}")
            .expectExtendedMessage("worker", 2, "past", "jobs", 1)
            .expectExtendedMessage("worker", 1, "at", "jobs", 1, frame -> assertTrue(
                System.currentTimeMillis() >= soon, "delivered before its deliver_at"))
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aDelayThatReachesTheTtlIsABadRequestThatStoresNothing(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("worker", consumerOn("jobs", "g"))
            .producer("producer", producerOn("jobs"))
            .send("producer", "{\"type\":\"publish\",\"payload\":\"never\",\"delay_ms\":1000,\"ttl_ms\":1000}",
                "{\"type\":\"publish\",\"payload\":\"soon\",\"delay_ms\":10,\"ttl_ms\":60000}")
            .expectError("producer", "bad_request")
            .expect("producer", "{\"type\":\"ok\",\"id\":1}")
            .expectExtendedMessage("worker", 1, "soon", "jobs", 1)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aPendingDelayedPublishSurvivesARestartAndStillWaitsForItsDueTime(Vertx vertx, VertxTestContext testContext) {
    Scenario.start(new DurableBroker(vertx, dataDir), netClient)
        .consumer("worker", consumerOn("jobs", "g"))
        .producer("producer", producerOn("jobs"))
        .send("producer", "{\"type\":\"publish\",\"payload\":\"later\",\"delay_ms\":2500}")
        .expect("producer", "{\"type\":\"ok\",\"id\":1}")
        .restart()
        .consumer("worker again", consumerOn("jobs", "g"))
        .producer("producer again", producerOn("jobs"))
        .send("producer again", publish("marker")).expect("producer again", OK)
        // Barrier: a delayed message released early would come before the marker.
        .expectExtendedMessage("worker again", 2, "marker", "jobs", 1)
        .send("worker again", ack(2))
        .expectExtendedMessage("worker again", 1, "later", "jobs", 1, notBefore(2500))
        .send("worker again", ack(1))
        .restart()
        .consumer("worker last", consumerOn("jobs", "g"))
        .expectNothingMore("worker last")
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }
}
