package dev.courier.client.api;

import static org.junit.jupiter.api.Assertions.fail;

import dev.courier.client.ClientOptions;
import dev.courier.core.BrokerStats;
import dev.courier.embedded.CourierBroker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Helpers for the client API tests: options for an embedded broker, and polls with a deadline. */
final class ApiBroker {
  static final long DEADLINE_MS = 10_000;
  private static final long POLL_MS = 5;
  /** Runs the checks of every poll (a condition may block, as a stats request does). */
  private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "api-test-poller");
    thread.setDaemon(true);
    return thread;
  });

  private ApiBroker() {
  }

  /** Client options for {@code broker}, reconnecting quickly so that restart tests stay short. */
  static ClientOptions.Builder options(CourierBroker broker) {
    return ClientOptions.builder().host(broker.host()).port(broker.port())
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  /**
   * Checks {@code condition} every few ms on a poller thread until it holds; the test thread waits
   * on the poll's future and fails after {@link #DEADLINE_MS}.
   */
  static void await(String description, BooleanSupplier condition) throws InterruptedException {
    CompletableFuture<Void> held = new CompletableFuture<>();
    ScheduledFuture<?> checks = POLLER.scheduleWithFixedDelay(() -> {
      try {
        if (condition.getAsBoolean()) {
          held.complete(null);
        }
      } catch (RuntimeException | AssertionError e) {
        held.completeExceptionally(e);
      }
    }, 0, POLL_MS, TimeUnit.MILLISECONDS);
    try {
      held.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      fail("never happened: " + description);
    } catch (ExecutionException e) {
      fail("checking whether " + description + " failed", e.getCause());
    } finally {
      checks.cancel(false);
    }
  }

  static BrokerStats awaitStats(CourierBroker broker, String description, Predicate<BrokerStats> condition)
      throws InterruptedException {
    BrokerStats[] last = new BrokerStats[1];
    await(description, () -> condition.test(last[0] = broker.stats().await()));
    return last[0];
  }
}
