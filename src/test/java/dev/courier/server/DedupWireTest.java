package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;

import io.vertx.core.Vertx;
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

/** dedup_id on the wire, as transcripts: the replies with ids, the duplicate, and the window across a restart. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DedupWireTest {
  @TempDir
  Path dataDir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private static String keyed(String payload, String dedupId) {
    return "{\"type\":\"publish\",\"payload\":\"" + payload + "\",\"dedup_id\":\"" + dedupId + "\"}";
  }

  @Test
  void aKeyedPublishLearnsItsIdARepeatGetsTheSameIdMarkedDuplicateAndASeedPublishStillGetsABareOk(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("worker", consumerOn("jobs", "g"))
            .producer("producer", producerOn("jobs"))
            .send("producer", keyed("charge", "order-7"), keyed("charge again", "order-7"), publish("plain"),
                keyed("refund", "order-8"))
            .expect("producer", "{\"type\":\"ok\",\"id\":1}", "{\"type\":\"ok\",\"id\":1,\"duplicate\":true}", OK,
                "{\"type\":\"ok\",\"id\":3}")
            .expectExtendedMessage("worker", 1, "charge", "jobs", 1)
            .expectExtendedMessage("worker", 2, "plain", "jobs", 1)
            .expectExtendedMessage("worker", 3, "refund", "jobs", 1)
            .expectNothingMore("worker")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void theDedupWindowSurvivesARestartForAckedAndPendingMessagesAndEndsAfterDedupWindowMs(Vertx vertx,
      VertxTestContext testContext) {
    Scenario.start(new DurableBroker(vertx, dataDir), netClient)
        .consumer("worker", consumerOn("jobs", "g"))
        .producer("producer", producerOn("jobs"))
        .send("producer", keyed("acked one", "a"), keyed("pending one", "b"))
        .expect("producer", "{\"type\":\"ok\",\"id\":1}", "{\"type\":\"ok\",\"id\":2}")
        .expectExtendedMessage("worker", 1, "acked one", "jobs", 1)
        .send("worker", ack(1))
        .restart()
        .producer("producer again", producerOn("jobs"))
        .send("producer again", keyed("retry", "a"), keyed("retry", "b"), keyed("new", "c"))
        .expect("producer again", "{\"type\":\"ok\",\"id\":1,\"duplicate\":true}",
            "{\"type\":\"ok\",\"id\":2,\"duplicate\":true}", "{\"type\":\"ok\",\"id\":3}")
        .restart("dedup_window_ms", 1)
        .producer("much later", producerOn("jobs"))
        .send("much later", keyed("outside the window", "a"))
        .expect("much later", "{\"type\":\"ok\",\"id\":4}")
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }
}
