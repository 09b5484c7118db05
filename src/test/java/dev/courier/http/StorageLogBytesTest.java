package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** courier_storage_log_bytes{topic} is the bytes of the topic's segment files, exactly, without a walk per scrape. */
@Timeout(60)
class StorageLogBytesTest {
  @TempDir
  Path dir;

  @Test
  void theFigureIsTheSizeOfEachTopicsSegmentFilesAfterPublishesAndAfterARestart() throws Exception {
    Map<String, Object> durable = Map.of("storage", "durable", "data_dir", dir.toString());
    try (HttpBroker broker = new HttpBroker(durable)) {
      publish(broker, "orders", "a", "bb", "ccc");
      publish(broker, "audit", "x");
      long orders = scraped(broker, "orders");
      assertEquals(segmentBytes("orders"), orders);
      assertEquals(segmentBytes("audit"), scraped(broker, "audit"));
      publish(broker, "orders", "dddd");
      long grown = scraped(broker, "orders");
      assertTrue(grown > orders, "one more message: " + orders + " -> " + grown);
      assertEquals(segmentBytes("orders"), grown);
    }
    try (HttpBroker restarted = new HttpBroker(durable)) {
      assertEquals(segmentBytes("orders"), scraped(restarted, "orders"), "recovery counts what is on disk");
    }
  }

  @Test
  void aMemoryBrokerExportsNoLogBytes() throws Exception {
    try (HttpBroker broker = new HttpBroker()) {
      publish(broker, "orders", "a");
      String scrape = broker.get("/metrics").body();
      assertTrue(scrape.contains("courier_messages_published_total{topic=\"orders\"} 1.0"), scrape);
      assertFalse(scrape.contains("courier_storage_log_bytes"), "memory storage has no files");
    }
  }

  private static void publish(HttpBroker broker, String topic, String... payloads) throws Exception {
    for (String payload : payloads) {
      assertEquals(200, broker.send("POST", "/api/v1/topics/" + topic + "/messages", payload).statusCode());
    }
  }

  /** The gauge of one topic; the scrape that registers a new topic's meters comes first. */
  private static long scraped(HttpBroker broker, String topic) throws Exception {
    String series = "courier_storage_log_bytes{topic=\"" + topic + "\"} ";
    long deadline = System.nanoTime() + HttpBroker.TIMEOUT.toNanos();
    String scrape = "";
    while (System.nanoTime() < deadline) {
      scrape = broker.get("/metrics").body();
      for (String line : scrape.lines().toList()) {
        if (line.startsWith(series)) {
          return (long) Double.parseDouble(line.substring(series.length()));
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
    throw new AssertionError("no " + series + "in\n" + scrape);
  }

  private long segmentBytes(String topic) throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("topics").resolve(topic))) {
      return files.filter(f -> f.toString().endsWith(".seg")).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
