package dev.courier.server;

import static dev.courier.server.WireClient.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers keep the producer's order everywhere: delivered live, delivered again from disk after a
 * restart, and read back by {@code history}. Twenty of them, named so that neither hash order nor
 * sorted order is the order sent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HeaderOrderTest {
  private static final List<String> NAMES = names();
  private static final String EXTENDED = WireClient.consumerOn("default", "default");

  @TempDir
  Path dataDir;

  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void twentyHeadersComeBackInTheProducersOrderLiveAfterARestartAndInHistory(Vertx vertx,
      VertxTestContext testContext) {
    Scenario.start(new DurableBroker(vertx, dataDir), netClient)
        .producer("producer")
        .send("producer", publishWithHeaders()).expect("producer", WireClient.OK)
        .subscribe("live", EXTENDED)
        .expectFrame("live", frame -> assertHeaderOrder("delivered live", frame))
        // Not acked: it is delivered again from what recovery read off the disk.
        .close("live")
        .awaitStats("the delivery taken back", s -> s.inFlight() == 0 && s.consumers() == 0)
        .restart()
        .subscribe("after restart", EXTENDED)
        .expectFrame("after restart", frame -> assertHeaderOrder("delivered after the restart", frame))
        .connect("reader")
        .send("reader", "{\"type\":\"history\",\"topic\":\"default\"}")
        .expectFrame("reader", reply -> {
          assertEquals("history_reply", reply.getString("type"), reply.encode());
          assertHeaderOrder("read by history", reply.getJsonArray("messages").getJsonObject(0));
        })
        .send("after restart", ack(1))
        .expectNothingMore("after restart")
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }

  private static void assertHeaderOrder(String where, JsonObject message) {
    JsonObject headers = message.getJsonObject("headers");
    assertEquals(NAMES, headers == null ? null : List.copyOf(headers.fieldNames()), where + ": " + message.encode());
    for (int i = 0; i < NAMES.size(); i++) {
      assertEquals("v" + i, headers.getString(NAMES.get(i)), where);
    }
  }

  private static String publishWithHeaders() {
    JsonObject headers = new JsonObject();
    for (int i = 0; i < NAMES.size(); i++) {
      headers.put(NAMES.get(i), "v" + i);
    }
    return new JsonObject().put("type", "publish").put("payload", "p").put("headers", headers).encode();
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      names.add("z" + (i * 7 % 20) + "-" + (char) ('q' - i));
    }
    Map<String, String> hashed = new HashMap<>();
    names.forEach(name -> hashed.put(name, ""));
    assertNotEquals(names, List.copyOf(hashed.keySet()), "hash order must differ for the test to mean anything");
    assertNotEquals(names, names.stream().sorted().toList(), "sorted order must differ too");
    return List.copyOf(names);
  }
}
