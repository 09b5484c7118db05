package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One broker per data_dir (issue 8 item 11): the second refuses to start, the first is untouched. */
@Timeout(120)
class DataDirLockIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  @Test
  void aSecondBrokerOnTheSameDataDirExitsOneNamingTheHolderAndTheFirstKeepsServing() throws Exception {
    String setting = "data_dir=" + dataDir;
    try (CourierProcess first = CourierProcess.role("broker", "--port", "0", "--set", setting)) {
      first.awaitLine(Pattern.compile(Pattern.quote("data_dir " + dataDir.toAbsolutePath() + " locked")), START);
      int port = first.awaitListeningPort(START);

      try (CourierProcess second = CourierProcess.role("broker", "--port", "0", "--set", setting)) {
        assertEquals(1, second.awaitExit(START), second.output());
        assertTrue(second.output().contains("courier broker: cannot start: data_dir " + dataDir.toAbsolutePath()
            + " is in use by another Courier broker (pid " + first.pid() + ", started "), second.output());
        assertTrue(second.output().contains("stop it or use another data_dir"), second.output());
        assertTrue(!second.output().contains("listening on"), second.output());
      }

      try (CourierProcess producer = CourierProcess.role("producer", "--port", String.valueOf(port))) {
        assertEquals(0, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("sent 5, confirmed 5, errors 0"), producer.output());
      }
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", String.valueOf(port), "--count", "5")) {
        assertEquals(0, consumer.awaitExit(START), consumer.output());
        assertTrue(consumer.output().contains("received 5 (0 redelivered), acked 5"), consumer.output());
      }
      first.kill();
    }

    // kill -9 left courier.lock behind with a dead pid; the OS lock died with the process.
    try (CourierProcess after = CourierProcess.role("broker", "--port", "0", "--set", setting)) {
      int port = after.awaitListeningPort(START);
      try (CourierProcess producer = CourierProcess.role("producer", "--port", String.valueOf(port))) {
        assertEquals(0, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("confirmed 5, errors 0"), producer.output());
      }
    }
  }
}
