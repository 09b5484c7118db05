package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, item 6: a consumer with --count takes only what it wants, so nothing is redelivered for it. */
@Timeout(120)
class ConsumerCountIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  @Test
  void consumersStoppingAtTheirCountLeaveTheRestUntouched() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "data_dir=" + dataDir)) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port)) {
        assertEquals(0, producer.awaitExit(START), producer.output());
      }
      for (int run = 0; run < 3; run++) {
        try (CourierProcess consumer = CourierProcess.role("consumer", "--port", port, "--count", "1")) {
          assertEquals(0, consumer.awaitExit(START), consumer.output());
          assertTrue(consumer.output().contains("message id=" + (run + 1) + ": task-" + run), consumer.output());
        }
      }
      try (CourierProcess stats = CourierProcess.role("stats", "--port", port, "--json")) {
        assertEquals(0, stats.awaitExit(START), stats.output());
        JsonObject group = new JsonObject(stats.output()).getJsonArray("topics").getJsonObject(0)
            .getJsonArray("groups").getJsonObject(0);
        assertEquals(3L, group.getLong("delivered"), group.encode());
        assertEquals(0L, group.getLong("redelivered"), group.encode());
        assertEquals(2L, group.getLong("ready"), group.encode());
      }
    }
  }
}
