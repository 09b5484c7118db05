package dev.courier.server;

import static dev.courier.server.WireClient.OK;
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
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer", consumerOn("bin", "g"))
            .producer("producer", producerOn("bin"))
            .send("producer", "{\"type\":\"publish\",\"payload\":\"not base64!\",\"encoding\":\"base64\"}")
            .expectError("producer", "bad_request")
            .send("producer", "{\"type\":\"publish\",\"payload\":\"AAE=\",\"encoding\":\"hex\"}")
            .expectError("producer", "bad_request")
            // Recoverable: the same producer goes on, and the refused ones took no id.
            .send("producer", "{\"type\":\"publish\",\"payload\":\"" + base64 + "\",\"encoding\":\"base64\"}")
            .expect("producer", OK)
            .expectExtendedMessage("consumer", 1, base64, "bin", 1, frame -> {
              assertEquals(List.of("type", "id", "payload", "topic", "attempt", "timestamp", "encoding"),
                  List.copyOf(frame.fieldNames()));
              assertEquals("base64", frame.getString("encoding"));
              assertArrayEquals(bytes, Base64.getDecoder().decode(frame.getString("payload")));
            })
            .send("consumer", ack(1))
            .expectNothingMore("consumer")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void keyAndHeadersReachAnExtendedConsumerAndASeedConsumerStillGetsTheSeedFrame(Vertx vertx,
      VertxTestContext testContext) {
    String keyed = "{\"type\":\"publish\",\"payload\":\"p\",\"key\":\"user-7\","
        + "\"headers\":{\"trace-id\":\"abc123\",\"content-type\":\"text/plain\",\"empty\":\"\"}}";
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("seed consumer")
            .consumer("extended consumer", "{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"tap\",\"client\":\"tap-1\"}")
            .producer("producer")
            .send("producer", keyed, "{\"type\":\"publish\",\"payload\":\"q\",\"key\":\"user-8\"}")
            .expectOks("producer", 2)
            .expectMessage("seed consumer", 1, "p").expectMessage("seed consumer", 2, "q")
            .expectExtendedMessage("extended consumer", 1, "p", "default", 1, frame -> {
              assertEquals(List.of("type", "id", "payload", "topic", "attempt", "timestamp", "key", "headers"),
                  List.copyOf(frame.fieldNames()));
              assertEquals("user-7", frame.getString("key"));
              assertEquals(new JsonObject().put("trace-id", "abc123").put("content-type", "text/plain")
                  .put("empty", ""), frame.getJsonObject("headers"));
            })
            .expectExtendedMessage("extended consumer", 2, "q", "default", 1, frame -> assertEquals(
                List.of("type", "id", "payload", "topic", "attempt", "timestamp", "key"), List.copyOf(frame.fieldNames())))
            .send("extended consumer", ack(1), ack(2)).expectNothingMore("extended consumer")
            .send("seed consumer", ack(1), ack(2)).expectNothingMore("seed consumer")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void statsIsAnsweredBeforeRegisterAndAfterTrafficWithTheFiguresOfEveryTopicAndGroup(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("topics", List.of("declared")))
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("observer")
            .send("observer", STATS)
            .expectStatsReply("observer", reply -> {
              assertEquals(1, reply.getInteger("connections"), "only the observer");
              assertEquals(new JsonArray().add(new JsonObject().put("name", "declared").put("published", 0)
                      .put("retained_messages", 0).put("retained_bytes", 0).put("resident_bytes", 0).put("full", false)
                      .put("groups", new JsonArray()).put("delayed", 0)),
                  reply.getJsonArray("topics"));
              assertEquals(0, reply.getJsonObject("broker").getInteger("published"));
            })
            .consumer("consumer", consumerOn("t", "g"))
            .producer("producer", producerOn("t"))
            .send("producer", publish("m1"), publish("m2"), publish("m3"))
            .expectExtendedMessage("consumer", 1, "m1", "t", 1)
            .expectExtendedMessage("consumer", 2, "m2", "t", 1)
            .expectExtendedMessage("consumer", 3, "m3", "t", 1)
            .send("consumer", ack(1), ack(0)).expectError("consumer", "unknown_message")
            // Still allowed: stats never registers the connection.
            .send("observer", STATS)
            .expectStatsReply("observer", reply -> {
              assertEquals(3, reply.getInteger("connections"));
              JsonObject totals = reply.getJsonObject("broker");
              assertEquals(3, totals.getInteger("published"));
              assertEquals(3, totals.getInteger("delivered"));
              assertEquals(1, totals.getInteger("acked"));
              assertEquals(2, totals.getInteger("in_flight"));
              assertEquals(1, totals.getInteger("consumers"));
              JsonObject t = reply.getJsonArray("topics").getJsonObject(1);
              // resident_bytes: two 2-byte messages at their estimated heap cost, 144 bytes each.
              assertEquals("{\"name\":\"t\",\"published\":3,\"retained_messages\":2,\"retained_bytes\":4,\"resident_bytes\":288,\"full\":false,"
                  + "\"groups\":[{\"name\":\"g\",\"ready\":0,\"in_flight\":2,\"consumers\":1,\"delivered\":3,\"acked\":1,"
                  + "\"redelivered\":0,\"oldest_ready_age_millis\":0,\"dead_lettered\":0,\"expired\":0}],\"delayed\":0}",
                  t.encode());
            })
            // And it may still register afterwards.
            .send("observer", REGISTER_PRODUCER, publish("m4")).expect("observer", OK)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }
}
