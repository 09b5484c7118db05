package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordering on the wire (docs/PROTOCOL.md, "Ordering"), as transcripts: a key-ordered group over
 * two consumers, a single group's failover with "active":true, the register refusals, the stats'
 * blocked keys, and the key order across a restart.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class OrderingWireTest {
  private static final String KEYED = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\","
      + "\"group\":\"ship\",\"ordering\":\"key\"}";
  private static final String SINGLE = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\","
      + "\"group\":\"ship\",\"ordering\":\"single\"}";

  @TempDir
  Path dataDir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private static String publish(String payload, String key) {
    return "{\"type\":\"publish\",\"payload\":\"" + payload + "\",\"key\":\"" + key + "\"}";
  }

  /** An extended message frame of {@code orders} with this key: checked whole, attempt 1. */
  private static String keyed(long id, String payload, String key, JsonObject frame) {
    assertEquals(id, frame.getLong("id"), frame.encode());
    assertEquals(payload, frame.getString("payload"), frame.encode());
    assertEquals(key, frame.getString("key"), frame.encode());
    return frame.encode();
  }

  @Test
  void aKeyOrderedGroupGivesOneMessageOfAKeyAtATimeOverTwoConsumersAndOtherKeysFlow(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("one", KEYED)
            .consumer("two", consumerOn("orders", "ship"))
            .producer("producer", producerOn("orders"))
            .send("producer", publish("a1", "a"), publish("a2", "a"), publish("b1", "b"))
            .expectOks("producer", 3)
            .expectFrame("one", frame -> keyed(1, "a1", "a", frame))
            .expectFrame("two", frame -> keyed(3, "b1", "b", frame))
            // Barriers: a2 would come before these errors, had it not waited for a1.
            .expectNothingMore("one").expectNothingMore("two")
            .send("one", ack(1))
            .expectFrame("one", frame -> keyed(2, "a2", "a", frame))
            .expectNothingMore("two")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aRegisterAskingForAnotherOrderingGetsGroupConflictAndAnUnknownOneBadRequest(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("one", KEYED)
            .connect("other")
            .send("other", SINGLE).expectError("other", "group_conflict")
            .send("other", "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\",\"group\":\"ship\","
                + "\"ordering\":\"none\"}").expectError("other", "group_conflict")
            .send("other", "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\",\"group\":\"ship\","
                + "\"ordering\":\"fifo\"}").expectError("other", "bad_request")
            .send("other", KEYED)
            .send("other", ack(0)).expectError("other", "unknown_message") // registered: a consumer's error
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aSingleGroupsStandbyTakesOverWhenTheActiveConsumerLeavesWithItsUnackedFirst(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("active", SINGLE)
            .consumer("standby", consumerOn("orders", "ship"))
            .producer("producer", producerOn("orders"))
            .send("producer", publish("m1", "x"), publish("m2", "y")).expectOks("producer", 2)
            .expectExtendedMessage("active", 1, "m1", "orders", 1, frame -> assertEquals(true, frame.getBoolean("active")))
            .expectExtendedMessage("active", 2, "m2", "orders", 1, frame -> assertEquals(true, frame.getBoolean("active")))
            .expectNothingMore("standby")
            .send("active", ack(1))
            .send("active", ack(0)).expectError("active", "unknown_message") // barrier: the ack is done
            .close("active")
            .expectExtendedMessage("standby", 2, "m2", "orders", 2, frame -> assertEquals(true, frame.getBoolean("active")))
            .send("producer", publish("m3", "x")).expect("producer", OK)
            .expectExtendedMessage("standby", 3, "m3", "orders", 1, frame -> assertEquals(true, frame.getBoolean("active")))
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void statsShowTheKeysBlockedBehindAnUnackedMessage(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("one", KEYED)
            .producer("producer", producerOn("orders"))
            .send("producer", publish("a1", "a"), publish("a2", "a"), publish("b1", "b")).expectOks("producer", 3)
            .expectFrame("one", frame -> keyed(1, "a1", "a", frame))
            .expectFrame("one", frame -> keyed(3, "b1", "b", frame))
            .send("producer", "{\"type\":\"stats\"}")
            .expectStatsReply("producer", reply -> {
              JsonObject group = reply.getJsonArray("topics").getJsonObject(0).getJsonArray("groups").getJsonObject(0);
              JsonObject ordering = group.getJsonObject("ordering");
              assertEquals("key", ordering.getString("mode"), group.encode());
              assertEquals(1, ordering.getLong("blocked_keys"), group.encode());
              assertEquals(new JsonArray().add("a"), ordering.getJsonArray("blocked_key_samples"));
              assertEquals(2, ordering.getLong("keys_in_flight"));
              assertEquals(1, ordering.getLong("waiting"));
            })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void theKeyOrderAndTheGroupsOrderingSurviveARestart(Vertx vertx, VertxTestContext testContext) {
    Scenario.start(new DurableBroker(vertx, dataDir), netClient)
        .consumer("one", KEYED)
        .producer("producer", producerOn("orders"))
        .send("producer", publish("a1", "a"), publish("a2", "a"), publish("b1", "b")).expectOks("producer", 3)
        .expectFrame("one", frame -> keyed(1, "a1", "a", frame))
        .expectFrame("one", frame -> keyed(3, "b1", "b", frame))
        .restart()
        .connect("other")
        .send("other", SINGLE).expectError("other", "group_conflict")
        .subscribe("again", consumerOn("orders", "ship"))
        .expectFrame("again", frame -> keyed(1, "a1", "a", frame))
        .expectFrame("again", frame -> keyed(3, "b1", "b", frame))
        .expectNothingMore("again") // a2 still waits for a1
        .send("again", ack(1))
        .expectFrame("again", frame -> {
          keyed(2, "a2", "a", frame);
          assertTrue(frame.getInteger("attempt") >= 1);
        })
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }
}
