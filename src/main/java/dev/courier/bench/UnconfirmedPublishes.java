package dev.courier.bench;

import org.HdrHistogram.Histogram;

/**
 * The send stamps of a producer's publishes that have no answer yet, oldest first. The broker
 * answers every publish with one {@code ok} or {@code error} in publish order (docs/PROTOCOL.md),
 * so each answer belongs to the oldest stamp; its publish-to-answer latency goes into the
 * histogram, unless it was stamped before {@code measureFromNanos} (a warm-up). A ring of longs: no
 * boxing per publish, grows only if the window does.
 */
final class UnconfirmedPublishes {
  /** As the consumers': latencies above an hour are clamped, three significant digits. */
  static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Histogram answerLatencyNanos = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
  private final long measureFromNanos;
  private long[] stamps;
  private int head;
  private int size;

  UnconfirmedPublishes(int expectedWindow, long measureFromNanos) {
    this.stamps = new long[Math.max(1, expectedWindow)];
    this.measureFromNanos = measureFromNanos;
  }

  /** Measures every answer. */
  UnconfirmedPublishes(int expectedWindow) {
    this(expectedWindow, Long.MIN_VALUE);
  }

  void sent(long stampNanos) {
    if (size == stamps.length) {
      long[] larger = new long[stamps.length * 2];
      for (int i = 0; i < size; i++) {
        larger[i] = stamps[(head + i) % stamps.length];
      }
      stamps = larger;
      head = 0;
    }
    stamps[(head + size) % stamps.length] = stampNanos;
    size++;
  }

  /** The oldest publish got its answer at {@code nowNanos}; false if none was waiting. */
  boolean answered(long nowNanos) {
    if (size == 0) {
      return false;
    }
    long stamp = stamps[head];
    head = (head + 1) % stamps.length;
    size--;
    if (stamp >= measureFromNanos) {
      answerLatencyNanos.recordValue(Math.min(HIGHEST_TRACKABLE_NANOS, Math.max(0, nowNanos - stamp)));
    }
    return true;
  }

  int size() {
    return size;
  }

  /** Publish-to-answer latencies so far. */
  Histogram latencies() {
    return answerLatencyNanos;
  }
}
