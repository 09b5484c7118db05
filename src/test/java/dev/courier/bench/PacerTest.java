package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pacer wakes a producer on the producer's own event loop, never before the delay is over. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PacerTest {
  @Test
  void runsTheTaskOnTheGivenEventLoopOnlyOnceTheDelayIsOver(Vertx vertx, VertxTestContext test) {
    Context loop = vertx.getOrCreateContext();
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(20);
    long start = System.nanoTime();
    Pacer.after(delayNanos, loop, () -> test.verify(() -> {
      assertSame(loop, Vertx.currentContext(), "runs on the producer's context");
      assertTrue(Context.isOnEventLoopThread(), "runs on an event-loop thread");
      long waited = System.nanoTime() - start;
      assertTrue(waited >= delayNanos, "woke after " + waited + " ns, before the " + delayNanos + " ns delay");
      test.completeNow();
    }));
  }

  @Test
  void wakesSeveralLoopsWithDelaysShorterThanAMillisecond(Vertx vertx, VertxTestContext test) {
    // The delays a fixed-rate producer uses (200-400 us), which an event-loop timer would spin for.
    Checkpoint woken = test.checkpoint(4 * 50);
    for (int p = 0; p < 4; p++) {
      Context loop = vertx.getOrCreateContext();
      tick(loop, 50, woken);
    }
  }

  private static void tick(Context loop, int left, Checkpoint woken) {
    if (left == 0) {
      return;
    }
    Pacer.after(BenchProducer.MIN_TICK_NANOS, loop, () -> {
      woken.flag();
      tick(loop, left - 1, woken);
    });
  }
}
