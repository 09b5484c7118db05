package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's life cycle survives SIGKILL (no drain, no storage close): after a restart on the same
 * data_dir a delayed retry is still delayed until the same due time with its attempt counted, a
 * dead letter is still in its topic with its headers, and redrive moves it back to its group
 * only; the topic's other group sees none of it.
 */
@Timeout(180)
class LifecycleKillNineIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Long enough to still be pending after a restart (a JVM start takes seconds at most here). */
  private static final long RETRY_DELAY_MS = 6_000;
  private static final String OTHER_GROUP = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"jobs\","
      + "\"group\":\"other\"}";

  @TempDir
  Path dataDir;

  private static boolean isMessage(JsonObject frame, String payload) {
    return "message".equals(frame.getString("type")) && payload.equals(frame.getString("payload"));
  }

  @Test
  void delayedRetriesAttemptsAndDeadLettersSurviveSigkill() throws Exception {
    // A long ack timeout: nothing in this test times out, every failure is a nack.
    String[] broker = {"broker", "--port", "0", "--set", "data_dir=" + dataDir, "--set", "ack_timeout_ms=120000"};
    long retryDueMillis;
    try (CourierProcess first = CourierProcess.role(broker)) {
      int port = first.awaitListeningPort(START);
      try (WirePeer producer = new WirePeer(port); WirePeer consumer = new WirePeer(port);
          WirePeer other = new WirePeer(port)) {
        // A second group of the topic, which acks all it gets: nothing of g's life cycle reaches it.
        other.send(OTHER_GROUP).barrier();
        producer.send("{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"jobs\"}");
        for (String payload : new String[] {"later", "doomed"}) {
          producer.send("{\"type\":\"publish\",\"payload\":\"" + payload + "\"}");
          producer.expect("ok");
        }
        consumer.send("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"jobs\",\"group\":\"g\","
            + "\"max_deliveries\":2}");
        JsonObject later = consumer.until(f -> isMessage(f, "later"), WAIT);
        JsonObject doomed = consumer.until(f -> isMessage(f, "doomed"), WAIT);
        assertEquals(1, later.getInteger("attempt"), later.encode());

        retryDueMillis = System.currentTimeMillis() + RETRY_DELAY_MS;
        consumer.send("{\"type\":\"nack\",\"id\":" + later.getLong("id") + ",\"delay_ms\":" + RETRY_DELAY_MS + "}");
        consumer.send("{\"type\":\"nack\",\"id\":" + doomed.getLong("id") + "}");
        JsonObject again = consumer.until(f -> isMessage(f, "doomed"), WAIT);
        assertEquals(2, again.getInteger("attempt"), again.encode());
        consumer.send("{\"type\":\"nack\",\"id\":" + again.getLong("id") + "}");
        awaitDeadLetters(producer, "jobs.dlq", 1);
        for (String payload : new String[] {"later", "doomed"}) {
          other.send("{\"type\":\"ack\",\"id\":" + other.until(f -> isMessage(f, payload), WAIT).getLong("id") + "}");
        }
        // Handled on these connections, then a publish confirmed behind them: the storage thread
        // takes work in order, so the nacks' and acks' journal records are on disk when it is ok.
        consumer.barrier();
        other.barrier();
        producer.send("{\"type\":\"publish\",\"payload\":\"marker\"}");
        producer.expect("ok");
      }
      first.kill();
    }

    try (CourierProcess second = CourierProcess.role(broker)) {
      int port = second.awaitListeningPort(START);
      try (WirePeer consumer = new WirePeer(port); WirePeer reader = new WirePeer(port);
          WirePeer other = new WirePeer(port); WirePeer producer = new WirePeer(port)) {
        JsonObject deadLetter = awaitDeadLetters(reader, "jobs.dlq", 1).getJsonObject(0);
        JsonObject headers = deadLetter.getJsonObject("headers");
        assertEquals("doomed", deadLetter.getString("payload"), deadLetter.encode());
        assertEquals("jobs", headers.getString("x-original-topic"), headers.encode());
        assertEquals("g", headers.getString("x-original-group"), headers.encode());
        assertEquals("2", headers.getString("x-attempts"), headers.encode());
        assertEquals("nack", headers.getString("x-reason"), headers.encode());

        consumer.send("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"jobs\",\"group\":\"g\"}");
        // The marker was never delayed: it comes at once, and the retry that is not due yet does not.
        consumer.until(f -> isMessage(f, "marker"), WAIT);
        JsonObject retried = consumer.until(f -> isMessage(f, "later") || isMessage(f, "doomed"), WAIT);
        long arrived = retried.getLong(WirePeer.RECEIVED_AT);
        assertEquals("later", retried.getString("payload"), "a dead letter is never delivered again: " + retried);
        assertTrue(arrived >= retryDueMillis, "the delayed retry came " + (retryDueMillis - arrived) + " ms early");
        assertEquals(2, retried.getInteger("attempt"), "the failed attempt counted before the kill: " + retried);
        consumer.send("{\"type\":\"ack\",\"id\":" + retried.getLong("id") + "}");

        try (CourierProcess redrive = CourierProcess.role("redrive", "--port", String.valueOf(port), "--topic",
            "jobs.dlq")) {
          assertEquals(0, redrive.awaitExit(START), redrive.output());
          assertTrue(redrive.output().contains("redrive: moved 1 from jobs.dlq"), redrive.output());
        }
        JsonObject back = consumer.until(f -> isMessage(f, "doomed"), WAIT);
        assertEquals(1, back.getInteger("attempt"), "a redriven message starts its attempts again: " + back);

        // The other group never sees the retry or the redriven copy: after the marker (which it may
        // get again, its ack not being journaled before the kill) comes the next publish.
        other.send(OTHER_GROUP);
        producer.send("{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"jobs\"}");
        producer.send("{\"type\":\"publish\",\"payload\":\"after\"}");
        producer.expect("ok");
        JsonObject next = other.until(f -> "message".equals(f.getString("type")) && !isMessage(f, "marker"), WAIT);
        assertEquals("after", next.getString("payload"), "the other group got " + next);
      }
    }
  }

  /** Polls the topic's history until it holds {@code count} messages; returns them. */
  private static JsonArray awaitDeadLetters(WirePeer peer, String topic, int count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      peer.send("{\"type\":\"history\",\"topic\":\"" + topic + "\",\"from\":0}");
      JsonObject reply = peer.until(f -> "history_reply".equals(f.getString("type"))
          || "error".equals(f.getString("type")), WAIT);
      // Before its first dead letter the topic does not exist: unknown_topic is "none yet".
      assertTrue(!"error".equals(reply.getString("type")) || "unknown_topic".equals(reply.getString("code")),
          reply.encode());
      JsonArray messages = reply.getJsonArray("messages", new JsonArray());
      if (messages.size() >= count) {
        assertEquals(count, messages.size(), reply.encode());
        return messages;
      }
      assertTrue(System.nanoTime() < deadline, "no " + count + " messages in " + topic + " within " + WAIT + ": "
          + reply.encode());
    }
  }
}
