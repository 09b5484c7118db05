package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, item 5: bench against a running broker keeps to a topic and group of its own. */
@Timeout(120)
class BenchRunningBrokerIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  @Test
  void benchAgainstARunningBrokerNeverTouchesUsersMessages() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "data_dir=" + dataDir)) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port)) {
        assertEquals(0, producer.awaitExit(START), producer.output());
      }
      try (CourierProcess bench = CourierProcess.role("bench", "--host", "127.0.0.1", "--port", port,
          "--count", "300", "--timeout-seconds", "30")) {
        bench.awaitLine(Pattern.compile("topic and group bench-[0-9a-f]+-[0-9a-f]+ on 127\\.0\\.0\\.1:" + port), START);
        assertEquals(0, bench.awaitExit(START), bench.output());
        assertFalse(bench.output().contains("not this run's"), bench.output());
      }
      // The users' five messages are all still there, never delivered to the bench.
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", port, "--count", "5")) {
        assertEquals(0, consumer.awaitExit(START), consumer.output());
        assertTrue(consumer.output().contains("message id=5: task-4"), consumer.output());
        assertTrue(consumer.output().contains("received 5 (0 redelivered), acked 5"), consumer.output());
      }
      try (CourierProcess stats = CourierProcess.role("stats", "--port", port, "--json")) {
        assertEquals(0, stats.awaitExit(START), stats.output());
        assertTrue(stats.output().contains("\"redelivered\" : 0"), stats.output());
      }
    }
  }
}
