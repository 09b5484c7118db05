package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An ordered group's view in the HTTP API: the keys blocked behind an unacked message, the active consumer. */
@Timeout(60)
class HttpOrderingTest {
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
  void aKeyOrderedGroupShowsItsBlockedKeysAndAnUnorderedOneNoOrdering() throws Exception {
    try (Socket keyed = consumer("ship", "key"); Socket plain = consumer("audit", null); Socket producer = broker.socket()) {
      HttpBroker.sendFrame(producer, new JsonObject().put("type", "register").put("role", "producer")
          .put("topic", "orders").encode());
      for (String[] message : new String[][] {{"a1", "a"}, {"a2", "a"}, {"b1", "b"}}) {
        HttpBroker.sendFrame(producer, new JsonObject().put("type", "publish").put("payload", message[0])
            .put("key", message[1]).encode());
        assertEquals("ok", HttpBroker.receiveFrame(producer).getString("type"));
      }
      JsonObject group = broker.awaitJson("/api/v1/topics/orders/groups/ship", g -> g.getLong("unacked") == 2);
      assertEquals(new JsonObject().put("mode", "key").put("blocked_keys", 1).put("blocked_key_samples",
          new JsonArray().add("a")).put("keys_in_flight", 2).put("waiting", 1), group.getJsonObject("ordering"));
      assertEquals(1, group.getLong("ready"), "a2 counts as ready, waiting for its key");
      assertFalse(broker.getJson("/api/v1/topics/orders/groups/audit").containsKey("ordering"));
    }
  }

  @Test
  void aSingleGroupNamesItsActiveConsumer() throws Exception {
    try (Socket active = consumer("ship", "single")) {
      JsonObject group = broker.awaitJson("/api/v1/topics/orders/groups/ship", g -> g.getLong("consumers") == 1);
      JsonObject ordering = group.getJsonObject("ordering");
      assertEquals("single", ordering.getString("mode"));
      assertEquals(1, ordering.size() - 1, "and its active consumer: " + ordering);
    }
  }

  private Socket consumer(String group, String ordering) throws Exception {
    Socket consumer = broker.socket();
    JsonObject register = new JsonObject().put("type", "register").put("role", "consumer").put("topic", "orders")
        .put("group", group).put("prefetch", 10);
    if (ordering != null) {
      register.put("ordering", ordering);
    }
    HttpBroker.sendFrame(consumer, register.encode());
    return consumer;
  }
}
