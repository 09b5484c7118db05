package dev.courier.http;

import static dev.courier.http.HttpApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Purge, pause and resume a group through the API, against a real broker and consumer. */
@Timeout(60)
class HttpGroupChangeTest {
  private static final String GROUP = "/api/v1/topics/orders/groups/billing";
  private HttpBroker broker;

  @BeforeEach
  void start() {
    broker = new HttpBroker(Map.of("topics", "orders"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void purgeDropsTheReadyMessagesAndLeavesTheInFlightOne() throws Exception {
    try (Socket consumer = consumer(1)) {
      publish("a", "b", "c");
      long first = HttpBroker.receiveFrame(consumer).getLong("id");
      broker.awaitJson(GROUP, g -> g.getLong("ready") == 2 && g.getLong("unacked") == 1);
      assertEquals(new JsonObject().put("topic", "orders").put("group", "billing").put("purged", 2),
          json(broker.send("POST", GROUP + "/purge", null)));
      JsonObject group = broker.getJson(GROUP);
      assertEquals(0, group.getLong("ready"));
      assertEquals(1, group.getLong("unacked"));
      HttpBroker.sendFrame(consumer, new JsonObject().put("type", "ack").put("id", first).encode());
      publish("d");
      // The barrier: the next delivery is the message published after the purge, not b or c.
      assertEquals("d", HttpBroker.receiveFrame(consumer).getString("payload"));
    }
  }

  @Test
  void aPausedGroupDeliversNothingUntilResumed() throws Exception {
    try (Socket consumer = consumer(10)) {
      broker.awaitJson(GROUP, g -> g.getLong("consumers") == 1);
      assertEquals(true, json(broker.send("POST", GROUP + "/pause", null)).getBoolean("paused"));
      publish("x", "y");
      JsonObject paused = broker.getJson(GROUP);
      assertEquals(true, paused.getBoolean("paused"));
      assertEquals(2, paused.getLong("ready"), "stored, not delivered");
      assertEquals(0, paused.getLong("delivered"));
      assertEquals(false, json(broker.send("POST", GROUP + "/resume", null)).getBoolean("paused"));
      assertEquals("x", HttpBroker.receiveFrame(consumer).getString("payload"));
      assertEquals("y", HttpBroker.receiveFrame(consumer).getString("payload"));
      assertEquals(false, broker.getJson(GROUP).getBoolean("paused"));
    }
  }

  @Test
  void aPurgeOutlivesARestart(@TempDir Path data) throws Exception {
    Map<String, Object> durable = Map.of("topics", "orders", "storage", "durable", "data_dir", data.toString());
    broker.close();
    broker = new HttpBroker(durable);
    try (Socket consumer = consumer(1)) {
      broker.awaitJson(GROUP, g -> g.getLong("consumers") == 1);
    }
    broker.awaitJson(GROUP, g -> g.getLong("consumers") == 0);
    publish("a", "b", "c");
    assertEquals(3, json(broker.send("POST", GROUP + "/purge", null)).getLong("purged"));
    broker.close();
    broker = new HttpBroker(durable);
    assertEquals(0, broker.getJson(GROUP).getLong("ready"), "the purge was checkpointed at the graceful stop");
  }

  @Test
  void changesToWhatDoesNotExistAre404() throws Exception {
    assertError(broker.send("POST", "/api/v1/topics/nope/groups/billing/purge", null), 404, "unknown_topic");
    assertError(broker.send("POST", GROUP + "/pause", null), 404, "unknown_group");
    assertError(broker.send("DELETE", GROUP, null), 405, "method_not_allowed");
  }

  private Socket consumer(int prefetch) throws Exception {
    Socket consumer = broker.socket();
    HttpBroker.sendFrame(consumer, new JsonObject().put("type", "register").put("role", "consumer")
        .put("topic", "orders").put("group", "billing").put("prefetch", prefetch).encode());
    return consumer;
  }

  private void publish(String... payloads) throws Exception {
    for (String payload : payloads) {
      assertEquals(200, broker.send("POST", "/api/v1/topics/orders/messages", payload).statusCode());
    }
  }

  private static JsonObject json(java.net.http.HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
