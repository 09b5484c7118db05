package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed publishes survive SIGKILL (no drain, no checkpoint at stop): after a restart on the same
 * data_dir each pending one is delivered once, not before its due time, and one that was due,
 * delivered and acked before the kill is not delivered again.
 */
@Timeout(180)
class DelayedPublishKillNineIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PENDING = 20;
  /** Long enough to still be pending after a restart (a JVM start takes seconds at most here). */
  private static final long FIRST_DELAY_MS = 5_000;
  private static final String CONSUMER = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"jobs\","
      + "\"group\":\"g\"}";

  @TempDir
  Path dataDir;

  private static boolean isMessage(JsonObject frame) {
    return "message".equals(frame.getString("type"));
  }

  @Test
  void pendingDelayedPublishesAreDeliveredNotBeforeTheirDueTimeAfterSigkill() throws Exception {
    String[] broker = {"broker", "--port", "0", "--set", "data_dir=" + dataDir, "--set", "ack_timeout_ms=120000"};
    // The earliest each may be due: its publish was admitted after it was sent.
    Map<String, Long> notBefore = new HashMap<>();
    try (CourierProcess first = CourierProcess.role(broker)) {
      int port = first.awaitListeningPort(START);
      try (WirePeer producer = new WirePeer(port); WirePeer consumer = new WirePeer(port)) {
        consumer.send(CONSUMER).barrier();
        producer.send("{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"jobs\"}");
        long sentAt = System.currentTimeMillis();
        producer.send("{\"type\":\"publish\",\"payload\":\"quick\",\"delay_ms\":200}");
        assertEquals(1, producer.expect("ok").getLong("id"));
        JsonObject quick = consumer.until(DelayedPublishKillNineIT::isMessage, WAIT);
        assertEquals("quick", quick.getString("payload"), quick.encode());
        assertTrue(quick.getLong(WirePeer.RECEIVED_AT) >= sentAt + 200, "the quick one came early");
        consumer.send("{\"type\":\"ack\",\"id\":1}").barrier();

        for (int i = 0; i < PENDING; i++) {
          long delay = FIRST_DELAY_MS + (PENDING - i) * 100L; // later publishes are due sooner
          notBefore.put("d" + i, System.currentTimeMillis() + delay);
          producer.send("{\"type\":\"publish\",\"payload\":\"d" + i + "\",\"delay_ms\":" + delay + "}");
          producer.expect("ok");
        }
      }
      first.kill();
    }

    try (CourierProcess second = CourierProcess.role(broker)) {
      int port = second.awaitListeningPort(START);
      try (WirePeer consumer = new WirePeer(port)) {
        consumer.send(CONSUMER);
        Map<String, Long> arrived = new HashMap<>();
        long previousDue = 0;
        while (arrived.size() < PENDING) {
          JsonObject message = consumer.until(DelayedPublishKillNineIT::isMessage, WAIT);
          String payload = message.getString("payload");
          assertTrue(notBefore.containsKey(payload), "only the pending ones come: " + message.encode());
          assertEquals(null, arrived.put(payload, message.getLong(WirePeer.RECEIVED_AT)), "twice: " + payload);
          assertTrue(message.getLong(WirePeer.RECEIVED_AT) >= notBefore.get(payload),
              payload + " came " + (notBefore.get(payload) - message.getLong(WirePeer.RECEIVED_AT)) + " ms early");
          assertTrue(notBefore.get(payload) >= previousDue - 50, "in due order: " + payload);
          previousDue = notBefore.get(payload);
          assertEquals(1, message.getInteger("attempt"), message.encode());
          consumer.send("{\"type\":\"ack\",\"id\":" + message.getLong("id") + "}");
        }
      }
    }
  }
}
