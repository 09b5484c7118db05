package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker killed with SIGKILL (no drain, no storage close) loses no confirmed message: after a
 * restart on the same data_dir every confirmed, unacked message is delivered; acked ones may come
 * back (acks are journaled in batches), but few.
 */
@Timeout(180)
class KillNineIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration RUN = Duration.ofSeconds(90);
  private static final int PUBLISHED = 2000;
  private static final int ACKED = 700;
  private static final Pattern RECOVERED = Pattern.compile("recovered (\\d+) topics with (\\d+) messages to deliver .* in (\\d+) ms");

  @TempDir
  Path dataDir;

  @Test
  void confirmedUnackedMessagesSurviveSigkill() throws Exception {
    String dataDirSetting = "data_dir=" + dataDir;
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", dataDirSetting)) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "--count",
          String.valueOf(PUBLISHED), "--size", "64")) {
        assertEquals(0, producer.awaitExit(RUN), producer.output());
        assertTrue(producer.output().contains("confirmed " + PUBLISHED + ", errors 0"), producer.output());
      }
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", port, "--count",
          String.valueOf(ACKED), "--quiet")) {
        assertEquals(0, consumer.awaitExit(RUN), consumer.output());
        assertTrue(consumer.output().contains("acked " + ACKED), consumer.output());
      }
      broker.kill();
    }

    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", dataDirSetting)) {
      Matcher recovered = broker.awaitLine(RECOVERED, START);
      int port = broker.awaitListeningPort(START);
      System.out.println("KillNineIT: after SIGKILL, " + recovered.group(0));

      BitSet seen = new BitSet();
      int deliveries = 0;
      int duplicatesOfAcked = 0;
      int beyondPublished = 0;
      try (Socket consumer = new Socket("127.0.0.1", port)) {
        consumer.setSoTimeout(10_000);
        RawFrames.send(consumer, "{\"type\":\"register\",\"role\":\"consumer\"}");
        // Until every unacked id has come; then a marker whose reply follows anything else queued.
        boolean markerSent = false;
        while (true) {
          if (!markerSent && seen.get(ACKED + 1, PUBLISHED + 1).cardinality() == PUBLISHED - ACKED) {
            RawFrames.send(consumer, "{\"type\":\"ack\",\"id\":0}");
            markerSent = true;
          }
          JsonObject frame = new JsonObject(RawFrames.receive(consumer));
          String type = frame.getString("type");
          if ("error".equals(type) && markerSent) {
            assertEquals("unknown_message", frame.getString("code"), frame.encode());
            break;
          }
          assertEquals("message", type, frame.encode());
          long id = frame.getLong("id");
          deliveries++;
          if (id <= ACKED) {
            duplicatesOfAcked++;
          } else if (id > PUBLISHED) {
            beyondPublished++;
          }
          if (id >= 1 && id <= PUBLISHED) {
            seen.set((int) id);
          }
          RawFrames.send(consumer, "{\"type\":\"ack\",\"id\":" + id + "}");
        }
      }
      System.out.println("KillNineIT: " + deliveries + " deliveries after restart, " + duplicatesOfAcked
          + " of them acked before the kill, " + beyondPublished + " above id " + PUBLISHED);

      assertEquals(PUBLISHED - ACKED, seen.get(ACKED + 1, PUBLISHED + 1).cardinality(),
          "every confirmed, unacked message comes back");
      assertEquals(0, beyondPublished, "ids above the last confirmed publish");
      assertTrue(duplicatesOfAcked <= ACKED, "acked messages redelivered: " + duplicatesOfAcked);

      // Nothing left: every delivery above was acked, and the marker's reply came after those acks.
      try (Socket stats = new Socket("127.0.0.1", port)) {
        RawFrames.send(stats, "{\"type\":\"stats\"}");
        JsonObject totals = new JsonObject(RawFrames.receive(stats)).getJsonObject("broker");
        assertEquals(0, totals.getLong("ready"), totals.encode());
        assertEquals(0, totals.getLong("in_flight"), totals.encode());
      }
    }
  }
}
