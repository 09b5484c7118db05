package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP listener with real requests against a real broker: health, metrics, the read API and its errors. */
@Timeout(60)
class HttpApiTest {
  private HttpBroker broker;

  @BeforeEach
  void start() {
    broker = new HttpBroker(Map.of("topics", "orders,audit"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void healthAndReadinessAnswerOkOnAServingBroker() throws Exception {
    assertEquals(new JsonObject().put("status", "ok"), broker.getJson("/healthz"));
    assertEquals(new JsonObject().put("status", "ready"), broker.getJson("/readyz"));
  }

  @Test
  void metricsShowTheExactCountersAfterKnownTraffic() throws Exception {
    try (Socket producer = broker.publish("orders", "a", "b", "c"); Socket consumer = broker.socket()) {
      HttpBroker.sendFrame(consumer, new JsonObject().put("type", "register").put("role", "consumer")
          .put("topic", "orders").put("group", "billing").put("start", "earliest").encode());
      long first = HttpBroker.receiveFrame(consumer).getLong("id");
      long second = HttpBroker.receiveFrame(consumer).getLong("id");
      HttpBroker.receiveFrame(consumer);
      HttpBroker.sendFrame(consumer, new JsonObject().put("type", "ack").put("id", first).encode());
      HttpBroker.sendFrame(consumer, new JsonObject().put("type", "ack").put("id", second).encode());
      // Acks have no reply: wait on the figures, then read the whole scrape once.
      broker.awaitJson("/api/v1/topics/orders/groups/billing", g -> g.getLong("acked") == 2);
      HttpResponse<String> scrape = broker.get("/metrics");
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String text = scrape.body();
      assertSample(text, "courier_messages_published_total{topic=\"orders\"}", 3);
      assertSample(text, "courier_messages_published_total{topic=\"audit\"}", 0);
      assertSample(text, "courier_messages_delivered_total{group=\"billing\",topic=\"orders\"}", 3);
      assertSample(text, "courier_messages_acked_total{group=\"billing\",topic=\"orders\"}", 2);
      assertSample(text, "courier_messages_redelivered_total{group=\"billing\",topic=\"orders\"}", 0);
      assertSample(text, "courier_group_messages_ready{group=\"billing\",topic=\"orders\"}", 0);
      assertSample(text, "courier_group_messages_unacked{group=\"billing\",topic=\"orders\"}", 1);
      assertSample(text, "courier_group_consumers{group=\"billing\",topic=\"orders\"}", 1);
      assertSample(text, "courier_topic_retained_bytes{topic=\"orders\"}", 1);
      assertSample(text, "courier_connections", 2);
      assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics are there too");
    }
  }

  @Test
  void theJvmFiguresAreOnEveryScrapeFromTheFirstOn() throws Exception {
    for (int scrape = 1; scrape <= 2; scrape++) {
      String text = broker.get("/metrics").body();
      for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
          "process_uptime_seconds", "system_cpu_count", "courier_connections")) {
        assertTrue(text.contains(name), "scrape " + scrape + " has " + name);
      }
    }
  }

  @Test
  void topicsAreSearchedSortedAndPaged() throws Exception {
    try (Socket producer = broker.publish("audit", "x", "y")) {
      JsonObject all = broker.getJson("/api/v1/topics");
      assertEquals(2, all.getInteger("total"));
      assertEquals(List.of("audit", "orders"), names(all));
      JsonObject busiest = broker.getJson("/api/v1/topics?sort=published&order=desc&limit=1");
      assertEquals(List.of("audit"), names(busiest));
      assertEquals(2, busiest.getJsonArray("topics").getJsonObject(0).getInteger("published"));
      assertEquals(List.of("orders"), names(broker.getJson("/api/v1/topics?offset=1&limit=1")));
      JsonObject found = broker.getJson("/api/v1/topics?q=ORD");
      assertEquals(1, found.getInteger("total"));
      assertEquals(List.of("orders"), names(found));
    }
  }

  @Test
  void aTopicShowsItsGroupsWithFiguresAndRates() throws Exception {
    try (Socket consumer = broker.socket()) {
      HttpBroker.sendFrame(consumer, new JsonObject().put("type", "register").put("role", "consumer")
          .put("topic", "orders").put("group", "billing").put("prefetch", 7).encode());
      JsonObject topic = broker.awaitJson("/api/v1/topics/orders", t -> t.getJsonArray("groups").size() == 1);
      JsonObject group = topic.getJsonArray("groups").getJsonObject(0);
      assertEquals("billing", group.getString("name"));
      assertEquals(1, group.getInteger("consumers"));
      assertEquals(0.0, group.getDouble("deliver_rate"));
      assertEquals(group, broker.getJson("/api/v1/topics/orders/groups/billing"));
      JsonArray connections = broker.getJson("/api/v1/connections").getJsonArray("connections");
      assertEquals(1, connections.size());
      JsonObject connection = connections.getJsonObject(0);
      assertEquals("consumer", connection.getString("role"));
      assertEquals("orders", connection.getString("topic"));
      assertEquals("billing", connection.getString("group"));
      assertEquals(7, connection.getInteger("credit"));
      assertEquals(0, connection.getInteger("in_flight"));
      assertEquals("127.0.0.1", connection.getString("remote_address"));
    }
  }

  @Test
  void peekShowsRetainedMessagesOldestFirstWithoutConsumingThem() throws Exception {
    try (Socket producer = broker.publish("orders", "one", "two", "three")) {
      JsonObject newest = broker.getJson("/api/v1/topics/orders/messages?limit=2");
      JsonArray messages = newest.getJsonArray("messages");
      assertEquals(List.of("two", "three"), messages.stream().map(m -> ((JsonObject) m).getString("payload")).toList());
      assertEquals("text", messages.getJsonObject(0).getString("encoding"));
      assertEquals(null, newest.getValue("next_id"), "nothing follows the newest");
      long first = messages.getJsonObject(0).getLong("id") - 1;
      JsonObject page = broker.getJson("/api/v1/topics/orders/messages?limit=1&from=" + first);
      assertEquals("one", page.getJsonArray("messages").getJsonObject(0).getString("payload"));
      assertEquals(first + 1, page.getLong("next_id"));
      assertEquals(3, broker.getJson("/api/v1/topics/orders").getInteger("retained_messages"), "nothing consumed");
      assertError(broker.get("/api/v1/topics/nope/messages"), 404, "unknown_topic");
      assertError(broker.get("/api/v1/topics/orders/messages?limit=1001"), 400, "bad_request");
      assertError(broker.get("/api/v1/topics/orders/messages?from=-3"), 400, "bad_request");
    }
  }

  @Test
  void badRequestsGetAJsonErrorWithAStableCodeAndNoStackTrace() throws Exception {
    assertError(broker.get("/api/v1/topics/nope"), 404, "unknown_topic");
    assertError(broker.get("/api/v1/topics/orders/groups/nope"), 404, "unknown_group");
    assertError(broker.get("/api/v1/topics?limit=0"), 400, "bad_request");
    assertError(broker.get("/api/v1/topics?limit=abc"), 400, "bad_request");
    assertError(broker.get("/api/v1/topics?sort=size"), 400, "bad_request");
    assertError(broker.get("/api/v1/topics?order=up"), 400, "bad_request");
    assertError(broker.get("/api/v1/nothing-here"), 404, "not_found");
    assertError(broker.send("DELETE", "/healthz", null), 405, "method_not_allowed");
  }

  @Test
  void aThousandTopicsArePagedFiftyAtATime() throws Exception {
    try (HttpBroker many = new HttpBroker(Map.of("topics", String.join(",",
        IntStream.range(0, 1_000).mapToObj(i -> String.format("t%04d", i)).toList())))) {
      JsonObject page = many.getJson("/api/v1/topics?offset=950");
      assertEquals(1_000, page.getInteger("total"));
      assertEquals(50, page.getJsonArray("topics").size());
      assertEquals("t0950", page.getJsonArray("topics").getJsonObject(0).getString("name"));
    }
  }

  static void assertError(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals(code, error.getString("code"), response.body());
    assertFalse(error.getString("message").isBlank());
    assertFalse(response.body().contains("\tat ") || response.body().contains("Exception"), response.body());
  }

  /** The value of one Prometheus sample line, {@code name{labels} value}, exactly. */
  static void assertSample(String scrape, String series, double expected) {
    String line = scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + scrape));
    assertEquals(expected, Double.parseDouble(line.substring(series.length() + 1).trim()), line);
  }

  private static List<String> names(JsonObject page) {
    return page.getJsonArray("topics").stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }
}
