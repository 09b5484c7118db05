package dev.courier.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop of one {@link Group}: which ready message goes next (a retry before a new one,
 * dead letters and expired ones on their turn) and to which consumer of the ring. Kept apart from
 * Group so the group's bookkeeping (acks, nacks, checkpoints, operator actions) reads on its own;
 * it works on the group's state directly, as it did inside it.
 */
final class GroupDispatcher {
  private static final Logger log = LoggerFactory.getLogger(Group.class); // same logger: same events as before

  private final Group group;
  private final CoreContext context;
  private int ringIndex;
  private boolean dispatching;
  private boolean dispatchRequested;

  GroupDispatcher(Group group, CoreContext context) {
    this.group = group;
    this.context = context;
  }

  /** A subscription left the ring at {@code index}: the next turn stays with the same consumer. */
  void removedAt(int index) {
    if (index < ringIndex) {
      ringIndex--;
    }
  }

  /**
   * Hands ready messages to consumers while any has credit and room. Re-entrant calls (a delivery
   * whose write closes the socket, say) are folded into the running loop.
   */
  void dispatch() {
    if (dispatching) {
      dispatchRequested = true;
      return;
    }
    dispatching = true;
    try {
      do {
        dispatchRequested = false;
        while (!context.draining && dispatchOne()) {
          // one delivery per round, until nothing is ready or nobody can take it
        }
      } while (dispatchRequested);
    } finally {
      dispatching = false;
    }
  }

  /** Delivers the next ready message if a consumer can take it; false when it cannot go now. */
  private boolean dispatchOne() {
    if (group.isPaused()) {
      return false;
    }
    while (!group.redelivery.isEmpty() && group.redelivery.peekFirst().stored.lost) {
      Entry lost = group.redelivery.pollFirst(); // recovery had to skip it: nobody waits for it
      Entry next = group.keyOrder == null ? null : group.keyOrder.released(lost);
      if (next != null) {
        group.redelivery.addLast(next); // but the next of its key does
      }
    }
    if (group.keyOrder != null && !group.keyOrder.resolveRestored(group.topic)) {
      return false; // after a restart: a delayed retry's key is read first, so that its key waits for it
    }
    GroupCursor cursor = group.cursor();
    cursor.passOverDone();
    Entry retry = group.redelivery.peekFirst();
    Entry next = retry;
    if (retry != null && retry.message() == null) {
      group.topic.requestLoad(retry.id()); // paged out: the topic dispatches again once storage read it
      return false;
    }
    if (retry != null && group.keyOrder != null && group.keyOrder.mustWait(retry)) {
      group.redelivery.pollFirst();
      group.keyOrder.park(retry); // after a restart: behind the earlier message of its key
      return true;
    }
    if (retry != null && group.retries.isExhausted(retry)) {
      group.redelivery.pollFirst();
      group.retries.deadLetter(retry); // stored there before it is released here
      return true;
    }
    if (retry == null && (next = cursor.nextOrLoad()) == null) {
      return false;
    }
    if (retry == null && group.keyOrder != null && group.keyOrder.mustWait(next)) {
      if (group.keyOrder.isFull()) {
        return false; // read no further ahead until a key frees up (KeyOrder.MAX_WAITING)
      }
      cursor.take(next);
      group.keyOrder.park(next); // its key is busy: it waits, and the keys behind it flow on
      return true;
    }
    if (next.message() != null && next.message().isExpired(context.clock.wallMillis())) {
      if (retry != null) {
        group.redelivery.pollFirst();
      } else {
        cursor.take(next);
      }
      group.expire(next);
      return true;
    }
    Subscription target = pickConsumer(retry == null ? null : retry.holder);
    if (target == null) {
      return false;
    }
    if (retry != null) {
      group.redelivery.pollFirst();
    } else {
      cursor.take(next);
    }
    deliver(next, target);
    return true;
  }

  /**
   * The next consumer in the ring with credit and room, starting at the ring index. A message that
   * comes back avoids the consumer that last held it (it may be stalled) when another can take it.
   */
  private Subscription pickConsumer(Subscription previousHolder) {
    if (group.settings.effectiveOrdering() == Ordering.SINGLE) {
      return pickActive();
    }
    int size = group.ring.size();
    int fallback = -1;
    boolean blockedOnWrites = false;
    for (int step = 0; step < size; step++) {
      int index = (ringIndex + step) % size;
      Subscription candidate = group.ring.get(index);
      if (!candidate.hasCredit()) {
        continue;
      }
      if (!candidate.consumer.canAccept()) {
        blockedOnWrites = true;
        continue;
      }
      if (candidate == previousHolder) {
        fallback = index;
        continue;
      }
      ringIndex = (index + 1) % size;
      return candidate;
    }
    if (fallback >= 0) {
      ringIndex = (fallback + 1) % size;
      return group.ring.get(fallback);
    }
    if (blockedOnWrites) {
      context.blockedOnWrites.add(group); // offered again by consumerWritable() when a socket drains
    }
    return null;
  }

  /**
   * A single group's one consumer: the first of the ring (registered longest), or none while it
   * has no credit or room; the standbys behind it get nothing until it leaves the ring.
   */
  private Subscription pickActive() {
    if (group.ring.isEmpty() || !group.ring.get(0).hasCredit()) {
      return null;
    }
    Subscription active = group.ring.get(0);
    if (!active.consumer.canAccept()) {
      context.blockedOnWrites.add(group); // offered again by consumerWritable() when its socket drains
      return null;
    }
    return active;
  }

  private void deliver(Entry entry, Subscription target) {
    group.topic.positionsChanged();
    entry.attempts++;
    entry.holder = target;
    entry.deadlineNanos = context.clock.nanoTime() + context.policy.ackTimeoutNanos();
    group.inFlight.put(entry.id(), entry);
    context.inFlight.add(entry);
    target.inFlight++;
    if (group.keyOrder != null) {
      group.keyOrder.claim(entry);
    }
    group.delivered++;
    if (entry.attempts > 1) {
      group.redelivered++;
    }
    if (log.isDebugEnabled()) {
      log.debug("deliver topic={} group={} msg={} attempt={} to {}", group.topic.name, group.name, entry.id(),
          entry.attempts, target.name());
    }
    target.consumer.deliver(entry.message(), entry.attempts);
  }
}
