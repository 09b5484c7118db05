package dev.courier.core;

/**
 * One message's delivery state: ready (waiting in the deque) or in flight (in the in-flight map,
 * held by {@link #holder} until {@link #deadlineNanos}). The same object moves between the two,
 * so a delivery allocates nothing.
 */
final class Entry {
  final Message message;
  /** Deliveries so far; the next delivery is attempt {@code attempts + 1}. */
  int attempts;
  /** The consumer holding it while in flight; afterwards the last one that held it. */
  Subscription holder;
  long deadlineNanos;

  Entry(Message message) {
    this.message = message;
  }
}
