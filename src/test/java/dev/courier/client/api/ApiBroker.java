package dev.courier.client.api;

import static org.junit.jupiter.api.Assertions.fail;

import dev.courier.client.ClientOptions;
import dev.courier.core.BrokerStats;
import dev.courier.embedded.CourierBroker;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Helpers for the client API tests: options for an embedded broker, and polls with a deadline. */
final class ApiBroker {
  static final long DEADLINE_MS = 10_000;

  private ApiBroker() {
  }

  /** Client options for {@code broker}, reconnecting quickly so that restart tests stay short. */
  static ClientOptions.Builder options(CourierBroker broker) {
    return ClientOptions.builder().host(broker.host()).port(broker.port())
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  /** Polls {@code condition} every few ms until it holds, or fails after {@link #DEADLINE_MS}. */
  static void await(String description, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("never happened: " + description);
      }
      Thread.sleep(5); // a poll interval, not synchronisation: the deadline decides
    }
  }

  static BrokerStats awaitStats(CourierBroker broker, String description, Predicate<BrokerStats> condition)
      throws InterruptedException {
    BrokerStats[] last = new BrokerStats[1];
    await(description, () -> condition.test(last[0] = broker.stats().await()));
    return last[0];
  }
}
