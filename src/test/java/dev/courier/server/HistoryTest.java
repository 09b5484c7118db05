package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The history frame: retained messages of a topic, read without touching any group. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HistoryTest {
  private NetClient netClient;

  @TempDir
  Path dataDir;

  @BeforeEach
  void setUp(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private static String history(String topic, Long from, int limit) {
    return "{\"type\":\"history\",\"topic\":\"" + topic + "\"" + (from == null ? "" : ",\"from\":" + from)
        + ",\"limit\":" + limit + "}";
  }

  private static List<Long> ids(JsonObject reply) {
    JsonArray messages = reply.getJsonArray("messages");
    return messages.stream().map(m -> ((JsonObject) m).getLong("id")).toList();
  }

  @Test
  void durableHistoryReturnsTheLastMessagesEvenAfterTheyWereAcked(Vertx vertx, VertxTestContext testContext) {
    Scenario.start(new DurableBroker(vertx, dataDir, "retention_bytes", 1_000_000), netClient)
        .producer("producer")
        .send("producer", WireClient.publish("a"), WireClient.publish("b"), WireClient.publish("c"))
        .expectOks("producer", 3)
        .subscribe("consumer", WireClient.REGISTER_CONSUMER)
        .expectMessage("consumer", 1, "a").send("consumer", WireClient.ack(1))
        .expectMessage("consumer", 2, "b")
        .connect("reader")
        .send("reader", history("default", null, 2))
        .expectFrame("reader", last -> {
          assertEquals("history_reply", last.getString("type"));
          assertEquals(List.of(2L, 3L), ids(last));
          assertEquals("c", last.getJsonArray("messages").getJsonObject(1).getString("payload"));
        })
        .send("reader", history("default", 1L, 10))
        .expectFrame("reader", fromFirst -> assertEquals(List.of(1L, 2L, 3L), ids(fromFirst), "acked 1 is still retained"))
        .send("reader", history("nowhere", null, 5))
        .expectFrame("reader", none -> assertEquals(List.of(), ids(none)))
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void memoryHistoryReturnsWhatTheTopicStillHoldsAndTakesNothingFromGroups(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .producer("producer")
            .send("producer", WireClient.publish("x"), WireClient.publish("y")).expectOks("producer", 2)
            .connect("reader")
            .send("reader", history("default", null, 10))
            .expectFrame("reader", reply -> assertEquals(List.of(1L, 2L), ids(reply)))
            .subscribe("consumer", WireClient.REGISTER_CONSUMER)
            .expectMessage("consumer", 1, "x").expectMessage("consumer", 2, "y")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void historyWithoutATopicIsABadRequestAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("reader")
            .send("reader", "{\"type\":\"history\",\"limit\":5}").expectError("reader", "bad_request")
            .send("reader", history("default", null, 5))
            .expectFrame("reader", reply -> assertEquals("history_reply", reply.getString("type")))
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }
}
