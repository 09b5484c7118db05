package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
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

  private Future<JsonObject> historyReply(WireClient client, String request) {
    return client.send(request).compose(v -> client.next());
  }

  @Test
  void durableHistoryReturnsTheLastMessagesEvenAfterTheyWereAcked(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("storage", "durable", "data_dir", dataDir.toString(), "retention_bytes", 1_000_000))
        .compose(broker -> broker.registeredProducer(netClient, "producer")
            .compose(producer -> producer.send(WireClient.publish("a"), WireClient.publish("b"), WireClient.publish("c"))
                .compose(v -> producer.expectOks(3)))
            .compose(v -> broker.consumer(netClient, "consumer"))
            .compose(consumer -> consumer.expectMessage(1, "a").compose(v -> consumer.send(WireClient.ack(1)))
                .compose(v -> consumer.expectMessage(2, "b")))
            .compose(v -> broker.connect(netClient, "reader")))
        .compose(reader -> historyReply(reader, history("default", null, 2))
            .compose(last -> {
              testContext.verify(() -> {
                assertEquals("history_reply", last.getString("type"));
                assertEquals(List.of(2L, 3L), ids(last));
                assertEquals("c", last.getJsonArray("messages").getJsonObject(1).getString("payload"));
              });
              return historyReply(reader, history("default", 1L, 10));
            })
            .compose(fromFirst -> {
              testContext.verify(() -> assertEquals(List.of(1L, 2L, 3L), ids(fromFirst), "acked 1 is still retained"));
              return historyReply(reader, history("nowhere", null, 5));
            }))
        .onComplete(testContext.succeeding(none -> testContext.verify(() -> {
          assertEquals(List.of(), ids(none));
          testContext.completeNow();
        })));
  }

  @Test
  void memoryHistoryReturnsWhatTheTopicStillHoldsAndTakesNothingFromGroups(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> broker.registeredProducer(netClient, "producer")
            .compose(producer -> producer.send(WireClient.publish("x"), WireClient.publish("y"))
                .compose(v -> producer.expectOks(2)))
            .compose(v -> broker.connect(netClient, "reader"))
            .compose(reader -> historyReply(reader, history("default", null, 10)))
            .compose(reply -> {
              testContext.verify(() -> assertEquals(List.of(1L, 2L), ids(reply)));
              return broker.consumer(netClient, "consumer");
            })
            .compose(consumer -> consumer.expectMessage(1, "x").compose(v -> consumer.expectMessage(2, "y"))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void historyWithoutATopicIsABadRequestAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> broker.connect(netClient, "reader"))
        .compose(reader -> reader.send("{\"type\":\"history\",\"limit\":5}")
            .compose(v -> reader.expectError("bad_request"))
            .compose(v -> historyReply(reader, history("default", null, 5))))
        .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
          assertEquals("history_reply", reply.getString("type"));
          testContext.completeNow();
        })));
  }
}
