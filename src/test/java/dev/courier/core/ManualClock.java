package dev.courier.core;

import java.time.Duration;

/** A {@link Clock} that moves only when a test advances it, so deadlines are tested without sleeping. */
final class ManualClock implements Clock {
  private long nanos;
  private long wallMillis;

  /** Starts at an arbitrary non-zero instant: nothing in the core may assume time starts at 0. */
  ManualClock() {
    this(1_000_000_000L);
  }

  /** Starts the monotonic clock at {@code startNanos}, which may be negative or near overflow. */
  ManualClock(long startNanos) {
    this.nanos = startNanos;
    this.wallMillis = 1_700_000_000_000L;
  }

  void advance(Duration duration) {
    advanceNanos(duration.toNanos());
  }

  void advanceNanos(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("a monotonic clock never goes back: " + delta);
    }
    nanos += delta; // may wrap past Long.MAX_VALUE, as System.nanoTime() is allowed to
    wallMillis += delta / 1_000_000;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public long wallMillis() {
    return wallMillis;
  }
}
