package dev.courier.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named subscription to a topic, its delivery side: it sees every message of the topic, and
 * gives each to one of its consumers, round-robin among those with credit and room; each delivery
 * is in flight until acked or until its deadline (in the broker's {@link DeadlineHeap}).
 *
 * <p>Ready messages are, in this order: the failed deliveries ready again ({@link Retries}: after
 * an ack timeout, a nack or a disconnect, retried first), then the new ones its {@link GroupCursor}
 * offers. A failed delivery that reached the group's {@code max_deliveries} is dead-lettered
 * instead, when its turn comes.
 */
final class Group {
  private static final Logger log = LoggerFactory.getLogger(Group.class);

  final Topic topic;
  final String name;
  private final CoreContext context;
  private final GroupCursor cursor;
  /** What it was created with: kept with the group, journaled and checkpointed. */
  final GroupSettings settings;
  // Collections start at their smallest: a broker may hold many groups, most of them idle, and
  // each grows on its first use (the JDK defaults would cost some 250 bytes more per group).
  // Package-private for its GroupDispatcher, which works on them as the delivery loop.
  final Retries retries;
  final ArrayDeque<Entry> redelivery;
  /** By id, for acks; their deadlines are in the context's heap. */
  final LinkedHashMap<Long, Entry> inFlight = new LinkedHashMap<>();
  final List<Subscription> ring = new ArrayList<>(1);
  /** Its keys' order when created with ordering key, else null (see {@link KeyOrder}). */
  final KeyOrder keyOrder;
  private final GroupDispatcher dispatcher;
  /** No deliveries while set (an operator's pause, issue 15); acks, timeouts and requeues go on. Not kept across a restart. */
  private boolean paused;

  long delivered;
  long redelivered;
  private long expiredDropped;
  /** Expired for this group, dead-lettered or dropped. */
  private long expired;
  long acked;

  Group(CoreContext context, Topic topic, String name, long nextId, GroupSettings settings) {
    this.context = context;
    this.topic = topic;
    this.name = name;
    this.settings = settings;
    this.cursor = new GroupCursor(context, topic, name, nextId);
    this.retries = new Retries(this, context);
    this.redelivery = retries.ready;
    this.keyOrder = settings.effectiveOrdering() == Ordering.KEY ? new KeyOrder() : null;
    this.dispatcher = new GroupDispatcher(this, context);
  }

  /** Failed deliveries after which a message is dead-lettered; 0: never. */
  int maxDeliveries() {
    return settings.maxDeliveries() != null ? settings.maxDeliveries() : context.policy.maxDeliveries();
  }

  String deadLetterTopic() {
    return settings.deadLetterTopic() != null ? settings.deadLetterTopic()
        : topic.name + GroupSettings.DEAD_LETTER_SUFFIX;
  }

  GroupCursor cursor() {
    return cursor;
  }

  Subscription subscribe(Consumer consumer, int credit) {
    Subscription subscription = new Subscription(consumer, this, credit);
    ring.add(subscription);
    dispatch();
    return subscription;
  }

  /** Returns the consumer's in-flight messages to the front, in id order; how many it held. */
  int unsubscribe(Subscription subscription) {
    int index = ring.indexOf(subscription);
    ring.remove(index);
    dispatcher.removedAt(index);
    List<Entry> held = new ArrayList<>(subscription.inFlight);
    for (Iterator<Entry> it = inFlight.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.holder == subscription) {
        it.remove();
        context.inFlight.remove(entry);
        entry.failure = DeadLetterReason.TIMEOUT; // the consumer left without an answer
        held.add(entry);
      }
    }
    subscription.inFlight = 0;
    requeueAtFront(held);
    if (!held.isEmpty()) {
      log.info("consumer {} left topic={} group={}; requeued {} in-flight messages (first msg={})",
          subscription.name(), topic.name, name, held.size(), held.get(0).id());
    }
    dispatch();
    return held.size();
  }

  AckResult ack(Subscription subscription, long messageId) {
    AckResult check = checkHolder(subscription, messageId);
    if (check != AckResult.ACKED) {
      return check;
    }
    Entry entry = takeInFlight(subscription, messageId);
    acked++;
    if (log.isDebugEnabled()) {
      log.debug("acked topic={} group={} msg={} attempt={} by {}", topic.name, name, messageId, entry.attempts,
          subscription.name());
    }
    release(entry);
    return AckResult.ACKED;
  }

  /** The group is done with this entry (acked, or its dead letter stored): journaled, freed, and on. */
  void release(Entry entry) {
    Entry next = keyOrder == null ? null : keyOrder.released(entry);
    if (next != null) {
      redelivery.addLast(next); // its key's next message: its turn has come
    }
    topic.positionsChanged();
    context.storage.acked(topic.name, name, entry.id());
    topic.release(entry.stored);
    dispatch();
  }

  /**
   * The consumer gives a delivery back, a failed attempt: to the front at once, or, with a
   * positive {@code delayMillis}, not before then (unless it is to be dead-lettered: that is at once).
   */
  AckResult nack(Subscription subscription, long messageId, long delayMillis) {
    AckResult check = checkHolder(subscription, messageId);
    if (check != AckResult.ACKED) {
      return check;
    }
    Entry entry = takeInFlight(subscription, messageId);
    entry.failure = DeadLetterReason.NACK;
    if (delayMillis > 0 && !retries.isExhausted(entry)) {
      retries.retryLater(entry, delayMillis);
    } else {
      List<Entry> back = new ArrayList<>(1);
      back.add(entry);
      requeueAtFront(back);
    }
    log.debug("nack: topic={} group={} msg={} by {}; retried in {} ms", topic.name, name, messageId,
        subscription.name(), delayMillis);
    dispatch();
    return AckResult.ACKED;
  }

  /** The consumer still works on it: its ack deadline restarts from now (nsq's TOUCH). */
  AckResult touch(Subscription subscription, long messageId) {
    AckResult check = checkHolder(subscription, messageId);
    if (check == AckResult.ACKED) {
      Entry entry = inFlight.get(messageId);
      context.inFlight.remove(entry);
      entry.deadlineNanos = context.clock.nanoTime() + context.policy.ackTimeoutNanos();
      context.inFlight.add(entry);
    }
    return check;
  }

  /** Whether {@code subscription} holds {@code messageId} in flight: ACKED when it does. */
  private AckResult checkHolder(Subscription subscription, long messageId) {
    Entry entry = inFlight.get(messageId);
    if (entry == null) {
      return AckResult.UNKNOWN_MESSAGE;
    }
    return entry.holder == subscription ? AckResult.ACKED : AckResult.NOT_OWNER;
  }

  private Entry takeInFlight(Subscription subscription, long messageId) {
    Entry entry = inFlight.remove(messageId);
    context.inFlight.remove(entry);
    subscription.inFlight--;
    return entry;
  }

  /** These deliveries of this group passed their deadline (the broker took them off its heap): requeue them. */
  void expired(List<Entry> expired) {
    for (Entry entry : expired) {
      inFlight.remove(entry.id);
      entry.holder.inFlight--;
      entry.failure = DeadLetterReason.TIMEOUT;
      log.debug("ack timeout: topic={} group={} msg={} attempt={} held by {}; requeued at the front",
          topic.name, name, entry.id(), entry.attempts, entry.holder.name());
    }
    requeueAtFront(expired);
    log.info("requeued {} messages of topic={} group={} after their ack timeout (first msg={})",
        expired.size(), topic.name, name, redelivery.peekFirst().id());
    dispatch();
  }

  void setCredit(Subscription subscription, int credit) {
    subscription.credit = credit;
    dispatch();
  }

  /** Storage read back a chunk of this group's replay. */
  void replayLoaded(List<Message> messages) {
    cursor.replayLoaded(messages);
    dispatch();
  }

  /** The lowest id this group may still need from storage, or {@link Long#MAX_VALUE} when none. */
  long lowestNeededId() {
    long lowest = cursor.lowestNeededId();
    // Walked in place rather than through position(): this runs for every group at each checkpoint.
    for (Entry entry : redelivery) {
      lowest = Math.min(lowest, entry.id());
    }
    if (retries.pendingCount() != redelivery.size()) {
      long[] min = {lowest};
      retries.forEachPending(entry -> min[0] = Math.min(min[0], entry.id()));
      lowest = min[0];
    }
    lowest = keyOrder == null ? lowest : Math.min(lowest, keyOrder.lowestWaitingId());
    for (Entry entry : inFlight.values()) {
      lowest = Math.min(lowest, entry.id());
    }
    return lowest;
  }

  /**
   * Rebuilds this group after a restart: pending deliveries wait at the front, in id order, with
   * their attempts; the topic's messages are counted unacked for this group exactly where they are.
   */
  void restore(GroupPosition position) {
    List<Entry> pending = new ArrayList<>(position.pending().size());
    for (GroupPosition.PendingDelivery delivery : position.pending()) {
      RetainedMessages.Stored stored = topic.retained.get(delivery.id());
      // A delay still pending is not the group's yet, whatever a journaled requeue implied.
      if (stored != null && !stored.lost && !stored.delayed && delivery.id() < cursor.nextId()) {
        Entry entry = new Entry(stored, delivery.id());
        entry.attempts = delivery.attempts();
        stored.unackedGroups++;
        if (delivery.notBeforeMillis() > 0) {
          retries.restoreLater(entry, delivery.notBeforeMillis()); // a nack's delay holds across a restart
          if (keyOrder != null) {
            keyOrder.restoredHead(entry); // its key waits for it, as before the restart
          }
        } else {
          pending.add(entry);
        }
      }
    }
    pending.sort(Comparator.comparingLong(Entry::id));
    redelivery.addAll(pending);
    cursor.restore(position);
  }

  /** Where this group stands, for a checkpoint: its next id, what it holds unacked, acks ahead. */
  GroupPosition position() {
    List<GroupPosition.PendingDelivery> pending = new ArrayList<>(retries.pendingCount() + inFlight.size());
    retries.forEachPending(entry -> pending.add(
        new GroupPosition.PendingDelivery(entry.id(), entry.attempts, entry.notBeforeMillis)));
    if (keyOrder != null) { // the cursor passed those waiting behind a busy key: pending too
      keyOrder.forEachWaiting(entry -> pending.add(new GroupPosition.PendingDelivery(entry.id(), entry.attempts)));
    }
    for (Entry entry : inFlight.values()) {
      pending.add(new GroupPosition.PendingDelivery(entry.id(), entry.attempts));
    }
    cursor.addReplayed(pending);
    return new GroupPosition(name, cursor.positionNextId(), pending, cursor.ackedAhead(), settings,
        topic.delays.watermarkMillis(), topic.delays.watermarkId());
  }

  /** Hands ready messages to consumers while any has credit and room (see {@link GroupDispatcher}). */
  void dispatch() {
    dispatcher.dispatch();
  }

  /**
   * Its ttl_ms passed before this group acked it: never delivered here again. A dead letter with
   * x-reason expired where the group has a dead-letter topic, else dropped (released as if acked,
   * journaled, so a restart does not bring it back) and counted in {@link #expiredDropped}.
   */
  void expire(Entry entry) {
    expired++;
    if ((settings.deadLetterTopic() != null || maxDeliveries() > 0) && Names.isValid(deadLetterTopic())) {
      entry.failure = DeadLetterReason.EXPIRED;
      retries.deadLetter(entry); // stored there before it is released here
      return;
    }
    expiredDropped++;
    log.info("expired topic={} group={} msg={} attempts={}: dropped (the group has no dead-letter topic)",
        topic.name, name, entry.id(), entry.attempts);
    release(entry);
  }

  /** Messages whose ttl_ms passed before this group acked them and that it had no dead-letter topic for. */
  long expiredDropped() {
    return expiredDropped;
  }

  GroupStats stats(long nowMillis) {
    Entry oldestRetry = redelivery.peekFirst();
    Message oldestNew = cursor.oldestNew();
    long oldestTimestamp = oldestRetry != null && oldestRetry.message() != null ? oldestRetry.message().timestampMillis()
        : oldestNew != null ? oldestNew.timestampMillis() : -1;
    return new GroupStats(name, readyCount(), inFlight.size(), ring.size(), delivered, acked, redelivered,
        oldestTimestamp < 0 ? 0 : Math.max(0, nowMillis - oldestTimestamp), retries.deadLettered, expired,
        OrderingStats.of(this));
  }

  boolean isPaused() {
    return paused;
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    dispatch();
  }

  /**
   * Drops every ready message of this group, as if its consumers had acked them: the retries and
   * the new ones its cursor would offer. Deliveries in flight stay (their consumers may still ack
   * them). Returns how many. Durable at the next checkpoint, which records the cursor's new position.
   */
  long purge() {
    long purged = 0;
    List<Entry> dropped = new ArrayList<>(redelivery);
    if (keyOrder != null) {
      dropped.addAll(keyOrder.purge(redelivery)); // and those waiting behind a busy key
    }
    for (Entry entry : dropped) {
      if (!entry.stored.lost) {
        topic.release(entry.stored);
        context.storage.acked(topic.name, name, entry.id());
        purged++;
      }
    }
    redelivery.clear();
    purged += cursor.purge();
    topic.positionsChanged();
    if (purged > 0) {
      log.info("purged {} ready messages of topic={} group={}", purged, topic.name, name);
    }
    return purged;
  }

  /**
   * Frees everything the group holds, for its deletion: its ready messages and the retries waiting
   * for their time. Only without consumers (so nothing is in flight); false, changing nothing,
   * while a dead letter of it is on its way to storage (its outcome still needs the group).
   */
  boolean releaseForDelete() {
    if (!ring.isEmpty() || !inFlight.isEmpty() || retries.isDeadLettering()) {
      return false;
    }
    retries.releaseLater();
    purge();
    return true;
  }

  int consumerCount() {
    return ring.size();
  }

  long readyCount() {
    return redelivery.size() + cursor.readyCount() + (keyOrder == null ? 0 : keyOrder.waitingCount());
  }

  private void requeueAtFront(List<Entry> entries) {
    retries.requeueAtFront(entries);
  }

  long deadLettered() {
    return retries.deadLettered;
  }

  int delayedCount() {
    return retries.delayedCount();
  }
}
