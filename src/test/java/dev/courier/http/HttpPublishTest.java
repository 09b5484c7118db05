package dev.courier.http;

import static dev.courier.http.HttpApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/v1/topics/{topic}/messages: the core's publish entry, answered once stored. */
@Timeout(60)
class HttpPublishTest {
  @TempDir
  Path dir;

  @Test
  void aPublishIsAnsweredWithItsIdOnceStoredAndReachesAConsumer() throws Exception {
    try (HttpBroker broker = new HttpBroker(Map.of("storage", "durable", "data_dir", dir.toString()))) {
      JsonObject first = json(broker.send("POST", "/api/v1/topics/orders/messages", "plain text"), 200);
      assertEquals("orders", first.getString("topic"));
      JsonObject second = json(post(broker, "/api/v1/topics/orders/messages", "application/json",
          "{\"payload\":\"aGk=\",\"encoding\":\"base64\",\"key\":\"k1\",\"headers\":{\"h\":\"v\"}}"), 200);
      assertEquals(first.getLong("id") + 1, second.getLong("id"));
      try (Socket consumer = broker.socket()) {
        HttpBroker.sendFrame(consumer, new JsonObject().put("type", "register").put("role", "consumer")
            .put("topic", "orders").put("extended", true).encode());
        JsonObject message = HttpBroker.receiveFrame(consumer);
        assertEquals(first.getLong("id"), message.getLong("id"));
        assertEquals("plain text", message.getString("payload"));
        JsonObject binary = HttpBroker.receiveFrame(consumer);
        assertEquals("aGk=", binary.getString("payload"));
        assertEquals("base64", binary.getString("encoding"));
        assertEquals("k1", binary.getString("key"));
        assertEquals(new JsonObject().put("h", "v"), binary.getJsonObject("headers"));
      }
    }
  }

  @Test
  void aBadPublishGetsAClearErrorAndStoresNothing() throws Exception {
    try (HttpBroker broker = new HttpBroker(Map.of("auto_create_topics", false, "topics", "orders",
        "max_frame_bytes", 1024, "max_topic_messages", 1, "overflow", "reject"))) {
      String path = "/api/v1/topics/orders/messages";
      assertError(post(broker, "/api/v1/topics/bad%20name/messages", "text/plain", "x"), 400, "invalid_name");
      assertError(post(broker, path, "application/json", "[1]"), 400, "bad_request");
      assertError(post(broker, path, "application/json", "{\"key\":\"k\"}"), 400, "bad_request");
      assertError(post(broker, path, "application/json", "{\"payload\":\"x\",\"priority\":1}"), 400, "bad_request");
      assertError(post(broker, path, "application/json", "{\"payload\":\"%%%\",\"encoding\":\"base64\"}"), 400,
          "bad_request");
      assertError(post(broker, path, "text/plain", "x".repeat(2048)), 413, "payload_too_large");
      assertError(post(broker, "/api/v1/topics/nope/messages", "text/plain", "x"), 404, "unknown_topic");
      assertEquals(0, broker.getJson("/api/v1/topics/orders").getInteger("published"), "nothing was stored");
      json(post(broker, path, "text/plain", "fits"), 200);
      assertError(post(broker, path, "text/plain", "over"), 409, "topic_full");
      assertEquals(1, broker.getJson("/api/v1/topics/orders").getInteger("published"));
    }
  }

  private static HttpResponse<String> post(HttpBroker broker, String path, String contentType, String body)
      throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.httpPort + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
