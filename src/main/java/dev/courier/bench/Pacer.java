package dev.courier.bench;

import io.vertx.core.Context;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wakes fixed-rate producers at their next send time from one thread of its own, instead of
 * event-loop timers. Netty's NIO event loop cannot sleep less than a millisecond: when its next
 * timer is under 0.5 ms away it polls the selector without blocking until the timer is due
 * ({@code NioIoHandler.select}). A producer ticking every 200-400 us therefore kept its event loop
 * spinning; four of them took both cores of a two-core machine from the broker, and publish-to-ok
 * latency at 10,000 msg/s went from 0.1 ms to 3 ms (docs/FOOTPRINT.md, latency with several
 * producers). This thread parks for the exact delay (a futex with a high-resolution timeout) and
 * hands the wake-up to the producer's own event loop, which then blocks in its selector as usual.
 */
final class Pacer {
  private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "courier-bench-pacer");
    thread.setDaemon(true); // the bench exits when its runs are done, pacer or not
    return thread;
  });

  private Pacer() {
  }

  /** Runs {@code task} on {@code loop} after {@code delayNanos}. */
  static void after(long delayNanos, Context loop, Runnable task) {
    THREAD.schedule(() -> loop.runOnContext(v -> task.run()), delayNanos, TimeUnit.NANOSECONDS);
  }
}
