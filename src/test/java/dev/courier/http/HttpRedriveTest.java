package dev.courier.http;

import static dev.courier.http.HttpApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redrive of a dead-letter topic through the API, against a real broker and consumer. */
@Timeout(60)
class HttpRedriveTest {
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
  void aRedriveBringsADeadLetterBackToItsGroupAndSaysHowManyMoved() throws Exception {
    try (Socket billing = broker.socket()) {
      HttpBroker.sendFrame(billing, new JsonObject().put("type", "register").put("role", "consumer")
          .put("topic", "orders").put("group", "billing").put("max_deliveries", 1).encode());
      broker.awaitJson("/api/v1/topics/orders", t -> t.getLong("consumers") == 1);
      broker.publish("orders", "order 7").close();
      long first = HttpBroker.receiveFrame(billing).getLong("id");
      HttpBroker.sendFrame(billing, new JsonObject().put("type", "nack").put("id", first).encode());
      broker.awaitJson("/api/v1/topics/orders.dlq", t -> t.getLong("retained_messages") == 1);

      assertEquals(new JsonObject().put("topic", "orders.dlq").put("moved", 1),
          json(broker.send("POST", "/api/v1/topics/orders.dlq/redrive?limit=10", null)));
      JsonObject again = HttpBroker.receiveFrame(billing);
      assertEquals("order 7", again.getString("payload"));
      assertEquals(first + 1, again.getLong("id"), "a new message in its topic");
      assertEquals(0, json(broker.send("POST", "/api/v1/topics/orders.dlq/redrive", null)).getLong("moved"),
          "nothing is left to move");
    }
  }

  @Test
  void aTopicWithoutDeadLettersMovesNothingAndBadRequestsAreRefused() throws Exception {
    assertEquals(0, json(broker.send("POST", "/api/v1/topics/orders/redrive", null)).getLong("moved"));
    assertError(broker.send("POST", "/api/v1/topics/nope/redrive", null), 404, "unknown_topic");
    assertError(broker.send("POST", "/api/v1/topics/orders/redrive?limit=0", null), 400, "bad_request");
    assertError(broker.send("POST", "/api/v1/topics/orders/redrive?limit=many", null), 400, "bad_request");
    assertError(broker.send("GET", "/api/v1/topics/orders/redrive", null), 404, "not_found");
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
