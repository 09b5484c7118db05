package dev.courier.server;

import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ttl_ms on the wire, as transcripts: the reply with an id, and a TTL kept in the log across a restart. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TtlWireTest {
  @TempDir
  Path dataDir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void aMessageWhoseTtlPassedWhileTheBrokerWasDownIsNotDeliveredAfterTheRestartAndOneWithinItsTtlIs(Vertx vertx,
      VertxTestContext testContext) {
    Scenario.start(new DurableBroker(vertx, dataDir), netClient)
        .producer("producer", producerOn("jobs"))
        // 1 ms: over before the restart is; no group reads the topic until then.
        .send("producer", "{\"type\":\"publish\",\"payload\":\"stale\",\"ttl_ms\":1}",
            "{\"type\":\"publish\",\"payload\":\"fresh\",\"ttl_ms\":600000}", publish("plain"))
        .expect("producer", "{\"type\":\"ok\",\"id\":1}", "{\"type\":\"ok\",\"id\":2}", WireClient.OK)
        .restart()
        .subscribe("worker", consumerOn("jobs", "g"))
        .expectExtendedMessage("worker", 2, "fresh", "jobs", 1)
        .expectExtendedMessage("worker", 3, "plain", "jobs", 1)
        .expectNothingMore("worker")
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }
}
