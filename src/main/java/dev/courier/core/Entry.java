package dev.courier.core;

/**
 * One message's delivery state within one group: ready to be retried (in the group's redelivery
 * deque) or in flight (in its in-flight map, held by {@link #holder} until {@link #deadlineNanos}).
 * The same object moves between the two, so a redelivery allocates nothing.
 */
final class Entry {
  final RetainedMessages.Stored stored;
  /** Known even while the message itself is paged out. */
  final long id;
  /** Deliveries so far; the next delivery is attempt {@code attempts + 1}. */
  int attempts;
  /** The consumer holding it while in flight; afterwards the last one that held it. */
  Subscription holder;
  long deadlineNanos;
  /** Its place in the broker's {@link DeadlineHeap} while in flight, else -1. */
  int heapIndex = -1;

  Entry(RetainedMessages.Stored stored, long id) {
    this.stored = stored;
    this.id = id;
  }

  Message message() {
    return stored.message;
  }

  long id() {
    return id;
  }
}
