package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.config.BrokerConfig;
import dev.courier.core.GroupChange;
import dev.courier.core.Publication;
import dev.courier.protocol.Frame;
import dev.courier.security.Principal;
import dev.courier.server.ConnectionSummary;
import dev.courier.server.StatsSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** /readyz says why a broker cannot serve; the listener lives and dies with the broker. */
@Timeout(60)
class ReadinessTest {
  @TempDir
  Path dir;

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void readyzIs503WithTheReasonTheBrokerGives() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpVerticle http = new HttpVerticle(BrokerConfig.defaults().with(Map.of("http_port", 0)),
          new NotReady("storage failed: see the broker log"));
      vertx.deployVerticle(http).await();
      HttpResponse<String> ready = get(http.actualPort(), "/readyz");
      assertEquals(503, ready.statusCode());
      assertEquals(new JsonObject().put("status", "not_ready").put("reason", "storage failed: see the broker log"),
          new JsonObject(ready.body()));
      assertEquals(200, get(http.actualPort(), "/healthz").statusCode(), "the process still serves");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aDurableBrokerIsReadyOnceRecoveredTimesItsFsyncsAndItsListenerStopsWithIt() throws Exception {
    HttpBroker broker = new HttpBroker(Map.of("storage", "durable", "data_dir", dir.resolve("data").toString()));
    try {
      assertEquals(new JsonObject().put("status", "ready"), broker.getJson("/readyz"));
      broker.publish("orders", "kept").close();
      String scrape = broker.get("/metrics").body();
      // fsync: always (the default): the publish was forced before its ok, and the force was timed.
      double forces = scrape.lines().filter(l -> l.startsWith("courier_storage_fsync_seconds_count "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
      assertTrue(forces >= 1, "fsync histogram count " + forces + " in\n" + scrape);
      assertTrue(scrape.contains("courier_storage_fsync_seconds_bucket{le=\"10.0\"}"), scrape);
      broker.vertx.undeploy(broker.deploymentId).await();
      assertThrows(ConnectException.class, () -> get(broker.httpPort, "/healthz"));
    } finally {
      broker.close();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A broker that gives one reason not to be ready, and nothing else. */
  private record NotReady(String reason) implements BrokerView {
    @Override
    public Future<StatsSnapshot> snapshotStats() {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<List<ConnectionSummary>> connectionSummaries() {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<Frame.HistoryReply> history(String topic, long fromId, int limit) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<Published> publish(Principal who, Publication publication) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<GroupChange> changeGroup(String topic, String group, GroupChange.Action action) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<GroupChange> deleteGroup(String topic, String group) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<Long> redrive(String topic, int limit) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<Set<String>> pausedGroups() {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<String> notReadyReason() {
      return Future.succeededFuture(reason);
    }

    @Override
    public Map<String, Long> storageLogBytes() {
      return null;
    }

    @Override
    public void observeForces(LongConsumer fsyncNanos) {}
  }
}
