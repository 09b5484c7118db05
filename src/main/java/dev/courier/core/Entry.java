package dev.courier.core;

/**
 * One message's delivery state within one group: ready to be retried (in the group's redelivery
 * deque), waiting for a retry time (in the broker's delayed-retry heap, until
 * {@link #deadlineNanos}), or in flight (in its in-flight map, held by {@link #holder} until
 * {@link #deadlineNanos}). The same object moves between them, so a redelivery allocates nothing.
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
  /** Its place in the broker's {@link DeadlineHeap} (in flight or delayed), else -1. */
  int heapIndex = -1;
  /** Why its last delivery failed (the dead letter's {@code x-reason}); null before any failed. */
  DeadLetterReason failure;
  /** While it waits for a delayed retry: the group it waits in, and the wall time it is due. */
  Retries waitingIn;
  long notBeforeMillis;
  /** In a key-ordered group: its key's lane while it is the head or waits there ({@link KeyOrder}). */
  KeyOrder.Lane lane;

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
