package dev.courier.server;

import static dev.courier.server.WireClient.REGISTER_PRODUCER;
import static dev.courier.server.WireClient.STATS;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a message carries besides its text (base64 binary, key, headers), and the stats frame. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TopicPayloadsAndStatsTest {
  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void everyByteValueSurvivesABase64RoundTripAndInvalidBase64IsABadRequest(Vertx vertx,
      VertxTestContext testContext) {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    String base64 = Base64.getEncoder().encodeToString(bytes);
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "consumer", consumerOn("bin", "g")).compose(consumer ->
            broker.registeredProducer(netClient, "producer", producerOn("bin")).compose(producer ->
                producer.send("{\"type\":\"publish\",\"payload\":\"not base64!\",\"encoding\":\"base64\"}")
                    .compose(v -> producer.expectError("bad_request"))
                    .compose(v -> producer.send("{\"type\":\"publish\",\"payload\":\"AAE=\",\"encoding\":\"hex\"}"))
                    .compose(v -> producer.expectError("bad_request"))
                    // Recoverable: the same producer goes on, and the refused ones took no id.
                    .compose(v -> producer.send("{\"type\":\"publish\",\"payload\":\"" + base64 + "\",\"encoding\":\"base64\"}"))
                    .compose(v -> producer.expectOk())
                    .compose(v -> consumer.nextExtendedMessage(1, base64, "bin", 1))
                    .compose(frame -> {
                      testContext.verify(() -> {
                        assertEquals(List.of("type", "id", "payload", "topic", "attempt", "timestamp", "encoding"),
                            List.copyOf(frame.fieldNames()));
                        assertEquals("base64", frame.getString("encoding"));
                        assertArrayEquals(bytes, Base64.getDecoder().decode(frame.getString("payload")));
                      });
                      return consumer.send(ack(1));
                    })
                    .compose(v -> consumer.expectNothingMore()))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void keyAndHeadersReachAnExtendedConsumerAndASeedConsumerStillGetsTheSeedFrame(Vertx vertx,
      VertxTestContext testContext) {
    String keyed = "{\"type\":\"publish\",\"payload\":\"p\",\"key\":\"user-7\","
        + "\"headers\":{\"trace-id\":\"abc123\",\"content-type\":\"text/plain\",\"empty\":\"\"}}";
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "seed consumer").compose(seed ->
            broker.registeredConsumer(netClient, "extended consumer",
                "{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"tap\",\"client\":\"tap-1\"}").compose(tap ->
                broker.registeredProducer(netClient, "producer").compose(producer ->
                    producer.send(keyed, "{\"type\":\"publish\",\"payload\":\"q\",\"key\":\"user-8\"}")
                        .compose(v -> producer.expectOks(2))
                        .compose(v -> seed.expectMessage(1, "p"))
                        .compose(v -> seed.expectMessage(2, "q"))
                        .compose(v -> tap.nextExtendedMessage(1, "p", "default", 1))
                        .compose(frame -> {
                          testContext.verify(() -> {
                            assertEquals(List.of("type", "id", "payload", "topic", "attempt", "timestamp", "key", "headers"),
                                List.copyOf(frame.fieldNames()));
                            assertEquals("user-7", frame.getString("key"));
                            assertEquals(new JsonObject().put("trace-id", "abc123").put("content-type", "text/plain")
                                .put("empty", ""), frame.getJsonObject("headers"));
                          });
                          return tap.nextExtendedMessage(2, "q", "default", 1);
                        })
                        .compose(frame -> {
                          testContext.verify(() -> assertEquals(
                              List.of("type", "id", "payload", "topic", "attempt", "timestamp", "key"),
                              List.copyOf(frame.fieldNames())));
                          return tap.send(ack(1), ack(2));
                        })
                        .compose(v -> tap.expectNothingMore())
                        .compose(v -> seed.send(ack(1), ack(2)))
                        .compose(v -> seed.expectNothingMore())))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void statsIsAnsweredBeforeRegisterAndAfterTrafficWithTheFiguresOfEveryTopicAndGroup(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("topics", List.of("declared"))).compose(broker ->
        broker.connect(netClient, "observer").compose(observer -> observer.send(STATS)
            .compose(v -> observer.expectStatsReply())
            .compose(reply -> {
              testContext.verify(() -> {
                assertEquals(1, reply.getInteger("connections"), "only the observer");
                assertEquals(new JsonArray().add(new JsonObject().put("name", "declared").put("published", 0)
                        .put("retained_messages", 0).put("retained_bytes", 0).put("resident_bytes", 0).put("full", false).put("groups", new JsonArray())),
                    reply.getJsonArray("topics"));
                assertEquals(0, reply.getJsonObject("broker").getInteger("published"));
              });
              return broker.registeredConsumer(netClient, "consumer", consumerOn("t", "g"));
            })
            .compose(consumer -> broker.registeredProducer(netClient, "producer", producerOn("t"))
                .compose(producer -> producer.send(publish("m1"), publish("m2"), publish("m3")))
                .compose(v -> consumer.expectExtendedMessage(1, "m1", "t", 1))
                .compose(v -> consumer.expectExtendedMessage(2, "m2", "t", 1))
                .compose(v -> consumer.expectExtendedMessage(3, "m3", "t", 1))
                .compose(v -> consumer.send(ack(1), ack(0)))
                .compose(v -> consumer.expectError("unknown_message")))
            // Still allowed: stats never registers the connection.
            .compose(v -> observer.send(STATS))
            .compose(v -> observer.expectStatsReply())
            .compose(reply -> {
              testContext.verify(() -> {
                assertEquals(3, reply.getInteger("connections"));
                JsonObject totals = reply.getJsonObject("broker");
                assertEquals(3, totals.getInteger("published"));
                assertEquals(3, totals.getInteger("delivered"));
                assertEquals(1, totals.getInteger("acked"));
                assertEquals(2, totals.getInteger("in_flight"));
                assertEquals(1, totals.getInteger("consumers"));
                JsonObject t = reply.getJsonArray("topics").getJsonObject(1);
                assertEquals("{\"name\":\"t\",\"published\":3,\"retained_messages\":2,\"retained_bytes\":4,\"resident_bytes\":4,\"full\":false,"
                    + "\"groups\":[{\"name\":\"g\",\"ready\":0,\"in_flight\":2,\"consumers\":1,\"delivered\":3,\"acked\":1,"
                    + "\"redelivered\":0,\"oldest_ready_age_millis\":0}]}", t.encode());
              });
              // And it may still register afterwards.
              return observer.send(REGISTER_PRODUCER, publish("m4"));
            })
            .compose(v -> observer.expectOk())))
        .onComplete(testContext.succeedingThenComplete());
  }
}
