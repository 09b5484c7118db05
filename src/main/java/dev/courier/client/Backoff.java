package dev.courier.client;

import java.util.function.DoubleSupplier;

/**
 * How long a client waits before its next reconnect attempt: doubling from {@code initialMs} up to
 * {@code maxMs}, then a random point in the upper half of that, so that a hundred clients that lost
 * the same broker do not all knock again in the same millisecond, yet none waits longer than
 * {@code maxMs}.
 */
record Backoff(long initialMs, long maxMs) {
  /** A day: beyond it a client had better give up and say so than retry at all. */
  static final long MAX_MS = 24L * 60 * 60 * 1000;

  Backoff {
    if (initialMs < 1 || maxMs < initialMs || maxMs > MAX_MS) {
      throw new IllegalArgumentException("reconnect backoff needs 1 <= initial <= max <= " + MAX_MS
          + " ms, was " + initialMs + ".." + maxMs);
    }
  }

  /** The wait before attempt {@code attempt} (1 = the first retry); {@code random} is in [0, 1). */
  long delayMs(int attempt, DoubleSupplier random) {
    // initialMs <= a day < 2^27, so 2^30 times it still fits in a long.
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long ceiling = Math.min(maxMs, initialMs << doublings);
    long floor = ceiling / 2;
    return floor + (long) (random.getAsDouble() * (ceiling - floor));
  }
}
