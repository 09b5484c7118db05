package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key-ordered group keeps its order across a SIGKILL: after a restart on the same data_dir, a
 * consumer that joins the group (without naming its ordering) still gets one message of a key at a
 * time, each key's messages in id order, and every confirmed message that was not acked.
 */
@Timeout(180)
class OrderKillNineIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final int KEYS = 10;
  private static final int PUBLISHED = 300;
  private static final String KEYED = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\","
      + "\"group\":\"ship\",\"prefetch\":50,\"ordering\":\"key\"}";

  @TempDir
  Path dataDir;

  @Test
  void theKeyOrderHoldsAcrossASigkill() throws Exception {
    String dataDirSetting = "data_dir=" + dataDir;
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", dataDirSetting)) {
      int port = broker.awaitListeningPort(START);
      try (Socket consumer = new Socket("127.0.0.1", port); Socket producer = new Socket("127.0.0.1", port)) {
        consumer.setSoTimeout(10_000);
        producer.setSoTimeout(10_000);
        RawFrames.send(consumer, KEYED);
        publishAll(producer);
        // Two rounds before the kill: the first message of every key, then the second; some acked.
        List<JsonObject> first = round(consumer, new HashMap<>(), new HashMap<>());
        assertEquals(KEYS, first.size(), "one per key, though its credit is 50");
        for (JsonObject message : first) {
          RawFrames.send(consumer, "{\"type\":\"ack\",\"id\":" + message.getLong("id") + "}");
        }
        assertEquals(KEYS, round(consumer, new HashMap<>(), new HashMap<>()).size(), "the next of every key");
      }
      broker.kill(); // the second round is in flight, the rest waits behind it
    }

    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", dataDirSetting);
        Socket consumer = new Socket("127.0.0.1", broker.awaitListeningPort(START))) {
      consumer.setSoTimeout(10_000);
      RawFrames.send(consumer, "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\",\"group\":\"ship\","
          + "\"prefetch\":50}");
      Map<String, Long> lastIdOfKey = new HashMap<>();
      Map<String, Long> outstanding = new HashMap<>();
      BitSet seen = new BitSet();
      seen.set(1, 2 * KEYS + 1); // both rounds came before the kill
      for (int rounds = 0; seen.cardinality() < PUBLISHED; rounds++) {
        assertTrue(rounds < PUBLISHED, "no progress; seen " + seen.cardinality());
        List<JsonObject> batch = round(consumer, outstanding, lastIdOfKey);
        for (JsonObject message : batch) {
          seen.set(message.getLong("id").intValue());
          outstanding.remove(message.getString("key"));
          RawFrames.send(consumer, "{\"type\":\"ack\",\"id\":" + message.getLong("id") + "}");
        }
      }
      assertEquals(PUBLISHED, seen.cardinality(), "every confirmed message came");
    }
  }

  private static void publishAll(Socket producer) throws IOException {
    RawFrames.send(producer, "{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"orders\"}");
    for (int i = 0; i < PUBLISHED; i++) {
      RawFrames.send(producer, "{\"type\":\"publish\",\"payload\":\"m" + i + "\",\"key\":\"k" + i % KEYS + "\"}");
    }
    for (int i = 0; i < PUBLISHED; i++) {
      JsonObject ok = new JsonObject(RawFrames.receive(producer));
      assertEquals("ok", ok.getString("type"), ok.encode());
    }
  }

  /**
   * Everything the broker delivered before it answers a marker (an ack of id 0, whose
   * unknown_message follows every message written before it). Each message is checked against the
   * key order: no key twice outstanding, ids of a key growing.
   */
  private static List<JsonObject> round(Socket consumer, Map<String, Long> outstanding, Map<String, Long> lastIdOfKey)
      throws IOException {
    RawFrames.send(consumer, "{\"type\":\"ack\",\"id\":0}");
    List<JsonObject> batch = new ArrayList<>();
    while (true) {
      JsonObject frame = new JsonObject(RawFrames.receive(consumer));
      if ("error".equals(frame.getString("type"))) {
        assertEquals("unknown_message", frame.getString("code"), frame.encode());
        return batch;
      }
      assertEquals("message", frame.getString("type"), frame.encode());
      String key = frame.getString("key");
      long id = frame.getLong("id");
      if (outstanding.containsKey(key)) {
        fail("key " + key + ": msg=" + id + " delivered while msg=" + outstanding.get(key) + " is unacked");
      }
      Long last = lastIdOfKey.get(key);
      assertTrue(last == null || id > last, "key " + key + ": msg=" + id + " after msg=" + last);
      assertEquals("k" + (id - 1) % KEYS, key, "ids are publish order");
      outstanding.put(key, id);
      lastIdOfKey.put(key, id);
      batch.add(frame);
    }
  }
}
