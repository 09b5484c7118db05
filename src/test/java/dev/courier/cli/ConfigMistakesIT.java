package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Configuration mistakes (issue 10, item 7): each names the key or file and exits 2 at once. */
@Timeout(60)
class ConfigMistakesIT {
  private static final Duration EXIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void aSettingOfTheWrongTypeNamesTheKeyAndTheValueAndExitsTwo() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--set", "ack_timeout_ms=abc")) {
      assertEquals(2, broker.awaitExit(EXIT), broker.output());
      assertEquals("courier broker: ack_timeout_ms: \"abc\" is not a whole number (at most 9223372036854775807)",
          broker.output());
    }
  }

  @Test
  void aBrokenConfigFileNamesTheFileAndLineAndExitsTwo() throws Exception {
    Path file = dir.resolve("broker.json");
    Files.writeString(file, "{\n  \"port\": 80,\n}\n");
    try (CourierProcess broker = CourierProcess.role("broker", "--config", file.toString())) {
      assertEquals(2, broker.awaitExit(EXIT), broker.output());
      assertTrue(broker.output().startsWith("courier broker: config " + file + " line 3, column 1: not valid JSON"),
          broker.output());
    }
  }

  @Test
  void benchRefusesAnUnknownBrokerSettingBeforeStartingAnyBroker() throws Exception {
    // The bench's brokers would get their temporary folders here: none may be made.
    try (CourierProcess bench = CourierProcess.roleWithJvmOptions(java.util.List.of("-Djava.io.tmpdir=" + dir),
        "bench", "--broker-set", "nosuch=1")) {
      assertEquals(2, bench.awaitExit(EXIT), bench.output());
      assertTrue(bench.output().startsWith("courier bench: --broker-set: unknown setting \"nosuch\"; known settings:"),
          bench.output());
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(0, left.count());
    }
  }
}
