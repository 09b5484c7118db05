package dev.courier.bench;

/**
 * When each publish of a fixed-rate producer is meant to go out: message {@code i} at
 * {@code start + i / rate}. Latency is measured from this intended time, not from when the
 * publish was actually written, so a broker that stalls the sender is charged for every message
 * the stall held back (coordinated omission corrected). Pure arithmetic on the caller's clock.
 */
final class SendSchedule {
  private static final double NANOS_PER_SECOND = 1e9;

  private final long startNanos;
  private final double perSecond;
  private final int count;

  /** {@code perSecond}: this producer's share of the offered rate. */
  SendSchedule(long startNanos, double perSecond, int count) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("a send rate must be positive, was " + perSecond);
    }
    this.startNanos = startNanos;
    this.perSecond = perSecond;
    this.count = count;
  }

  /** The intended send time of message {@code index} (0-based). */
  long intendedNanos(int index) {
    return startNanos + Math.round(index * NANOS_PER_SECOND / perSecond);
  }

  /** How many messages are due by {@code nowNanos}: those whose intended time has come, at most all. */
  int dueBy(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long estimate = (long) Math.floor((nowNanos - startNanos) * perSecond / NANOS_PER_SECOND) + 1;
    int due = (int) Math.min(count, estimate);
    // Rounding in intendedNanos can put a message a nanosecond either side of the estimate.
    while (due > 0 && intendedNanos(due - 1) > nowNanos) {
      due--;
    }
    while (due < count && intendedNanos(due) <= nowNanos) {
      due++;
    }
    return due;
  }

  int count() {
    return count;
  }
}
