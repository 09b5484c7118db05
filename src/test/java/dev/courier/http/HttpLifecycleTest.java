package dev.courier.http;

import static dev.courier.http.HttpApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The publish route's delay_ms, deliver_at, ttl_ms and dedup_id: the wire's fields, ranges and answers. */
@Timeout(60)
class HttpLifecycleTest {
  private static final String PATH = "/api/v1/topics/jobs/messages";

  @Test
  void aDelayedPublishIsNotDeliveredBeforeItsDelayAndDoesNotHoldBackLaterOnes() throws Exception {
    try (HttpBroker broker = new HttpBroker()) {
      long postedAt = System.nanoTime(); // before the broker admits it, so its due time is at least this + 300 ms
      JsonObject delayed = json(post(broker, "{\"payload\":\"delayed\",\"delay_ms\":300}"), 200);
      assertNull(delayed.getValue("duplicate"));
      JsonObject now = json(post(broker, "{\"payload\":\"at once\",\"deliver_at\":1}"), 200);
      assertEquals(delayed.getLong("id") + 1, now.getLong("id"), "a delayed publish takes its id in publish order");
      try (Socket consumer = consumer(broker)) {
        assertEquals("at once", HttpBroker.receiveFrame(consumer).getString("payload"));
        JsonObject message = HttpBroker.receiveFrame(consumer);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - postedAt);
        assertEquals("delayed", message.getString("payload"));
        assertEquals(delayed.getLong("id"), message.getLong("id"));
        assertTrue(waitedMs >= 300, "delivered " + waitedMs + " ms after the POST, before its 300 ms delay");
      }
    }
  }

  @Test
  void aMessagePastItsTtlIsNeverDeliveredAgain() throws Exception {
    try (HttpBroker broker = new HttpBroker()) {
      JsonObject shortLived = json(post(broker, "{\"payload\":\"short-lived\",\"ttl_ms\":200}"), 200);
      // Due after the expired one would be given back: it shows that nothing came before it.
      json(post(broker, "{\"payload\":\"marker\",\"delay_ms\":600}"), 200);
      try (Socket consumer = consumer(broker)) {
        JsonObject first = HttpBroker.receiveFrame(consumer);
        assertEquals(shortLived.getLong("id"), first.getLong("id"));
        // Given back not before 300 ms: past its 200 ms TTL, so the group never gets it again.
        HttpBroker.sendFrame(consumer, new JsonObject().put("type", "nack").put("id", first.getLong("id"))
            .put("delay_ms", 300).encode());
        JsonObject next = HttpBroker.receiveFrame(consumer);
        assertEquals("marker", next.getString("payload"), "the expired message came back: " + next);
      }
    }
  }

  @Test
  void aSecondPublishWithTheSameDedupIdAnswersTheFirstIdAndIsNotStoredAgain() throws Exception {
    try (HttpBroker broker = new HttpBroker()) {
      JsonObject first = json(post(broker, "{\"payload\":\"once\",\"dedup_id\":\"order-42\"}"), 200);
      assertNull(first.getValue("duplicate"));
      JsonObject second = json(post(broker, "{\"payload\":\"twice\",\"dedup_id\":\"order-42\"}"), 200);
      assertEquals(first.getLong("id"), second.getLong("id"));
      assertEquals(true, second.getBoolean("duplicate"));
      json(post(broker, "{\"payload\":\"after\"}"), 200);
      assertEquals(2, broker.getJson("/api/v1/topics/jobs").getInteger("published"), "the duplicate was stored");
      try (Socket consumer = consumer(broker)) {
        assertEquals("once", HttpBroker.receiveFrame(consumer).getString("payload"));
        assertEquals("after", HttpBroker.receiveFrame(consumer).getString("payload"), "the duplicate was delivered");
      }
    }
  }

  @Test
  void aBadLifeCycleFieldIsABadRequestAndStoresNothing() throws Exception {
    try (HttpBroker broker = new HttpBroker(Map.of("topics", "jobs"))) {
      String[] bad = {
          "\"delay_ms\":-1", "\"delay_ms\":31536000001", "\"delay_ms\":1.5", "\"delay_ms\":\"300\"",
          "\"deliver_at\":253402300800000", "\"ttl_ms\":0", "\"dedup_id\":\"\"", "\"dedup_id\":7",
          "\"dedup_id\":\"" + "x".repeat(129) + "\"", "\"delay_ms\":5,\"deliver_at\":5",
          "\"delay_ms\":300,\"ttl_ms\":300",
      };
      for (String field : bad) {
        HttpResponse<String> response = post(broker, "{\"payload\":\"x\"," + field + "}");
        assertError(response, 400, "bad_request");
        String named = field.substring(1, field.indexOf('"', 1));
        assertTrue(response.body().contains(named), field + " answered " + response.body());
      }
      assertEquals(0, broker.getJson("/api/v1/topics/jobs").getInteger("published"), "nothing was stored");
      json(post(broker, "{\"payload\":\"x\",\"delay_ms\":null,\"ttl_ms\":null}"), 200);
      assertEquals(1, broker.getJson("/api/v1/topics/jobs").getInteger("published"), "null reads as absent");
    }
  }

  /** An extended consumer of jobs' default group, which starts at the earliest message. */
  private static Socket consumer(HttpBroker broker) throws Exception {
    Socket consumer = broker.socket();
    HttpBroker.sendFrame(consumer, new JsonObject().put("type", "register").put("role", "consumer")
        .put("topic", "jobs").put("extended", true).encode());
    return consumer;
  }

  private static HttpResponse<String> post(HttpBroker broker, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.httpPort + PATH))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
