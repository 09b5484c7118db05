package dev.courier.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named subscription to a topic: it sees every message of the topic, and gives each to one of
 * its consumers, round-robin among those with credit and room.
 *
 * <p>Ready messages are, in this order: the redelivery deque (messages that came back after an
 * ack timeout or a disconnect, retried first), then the topic's messages from {@link #nextId} on.
 */
final class Group {
  private static final Logger log = LoggerFactory.getLogger(Group.class);

  final Topic topic;
  final String name;
  private final Broker broker;
  // Collections start at their smallest: a broker may hold many groups, most of them idle, and
  // each grows on its first use (the JDK defaults would cost some 250 bytes more per group).
  private final ArrayDeque<Entry> redelivery = new ArrayDeque<>(1);
  /** Next message of the topic this group has not taken yet. */
  private long nextId;
  /**
   * Insertion-ordered: with one fixed ack timeout, deadlines grow in delivery order, so the sweep
   * stops at the first entry still alive and an ack is an O(1) removal.
   */
  private final LinkedHashMap<Long, Entry> inFlight = new LinkedHashMap<>();
  private final List<Subscription> ring = new ArrayList<>(1);
  /** After a restart: ids at or above {@link #nextId} whose ack was journaled; skipped, not delivered. */
  private Set<Long> ackedAhead = Set.of();
  /**
   * A new group starting at the earliest first replays what storage still keeps below the topic's
   * window, [replayNextId, replayEndId), read in chunks into its own buffer.
   */
  private long replayNextId;
  private long replayEndId;
  private final ArrayDeque<Entry> replayBuffer = new ArrayDeque<>(1);
  private boolean replayLoading;
  private int cursor;
  private boolean dispatching;
  private boolean dispatchRequested;

  long delivered;
  long redelivered;
  long acked;

  Group(Broker broker, Topic topic, String name, long nextId) {
    this.broker = broker;
    this.topic = topic;
    this.name = name;
    this.nextId = nextId;
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
    if (index < cursor) {
      cursor--;
    }
    List<Entry> held = new ArrayList<>(subscription.inFlight);
    for (Iterator<Entry> it = inFlight.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.holder == subscription) {
        it.remove();
        held.add(entry);
      }
    }
    broker.inFlightChanged(this, -held.size());
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
    Entry entry = inFlight.get(messageId);
    if (entry == null) {
      return AckResult.UNKNOWN_MESSAGE;
    }
    if (entry.holder != subscription) {
      return AckResult.NOT_OWNER;
    }
    inFlight.remove(messageId);
    subscription.inFlight--;
    acked++;
    topic.positionsChanged();
    broker.inFlightChanged(this, -1);
    broker.storage().acked(topic.name, name, messageId);
    if (log.isDebugEnabled()) {
      log.debug("acked topic={} group={} msg={} attempt={} by {}", topic.name, name, messageId, entry.attempts,
          subscription.name());
    }
    topic.release(entry.stored);
    dispatch();
    return AckResult.ACKED;
  }

  /** Requeues every delivery whose deadline is not after {@code now}; returns how many. */
  int expire(long now) {
    if (inFlight.isEmpty()) {
      return 0;
    }
    List<Entry> expired = new ArrayList<>();
    for (Iterator<Entry> it = inFlight.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.deadlineNanos - now > 0) {
        break;
      }
      it.remove();
      entry.holder.inFlight--;
      expired.add(entry);
    }
    if (expired.isEmpty()) {
      return 0;
    }
    broker.inFlightChanged(this, -expired.size());
    for (Entry entry : expired) {
      log.debug("ack timeout: topic={} group={} msg={} attempt={} held by {}; requeued at the front",
          topic.name, name, entry.id(), entry.attempts, entry.holder.name());
    }
    requeueAtFront(expired);
    log.info("requeued {} messages of topic={} group={} after their ack timeout (first msg={})",
        expired.size(), topic.name, name, redelivery.peekFirst().id());
    dispatch();
    return expired.size();
  }

  /** The earliest ack deadline in this group; only while {@link #hasInFlight()}. */
  long earliestDeadline() {
    return inFlight.values().iterator().next().deadlineNanos;
  }

  boolean hasInFlight() {
    return !inFlight.isEmpty();
  }

  void setCredit(Subscription subscription, int credit) {
    subscription.credit = credit;
    dispatch();
  }

  boolean hasReady() {
    skipAckedAhead();
    return !redelivery.isEmpty() || isReplaying() || nextId < topic.retained.endId();
  }

  void startReplay(long fromId, long toId) {
    replayNextId = fromId;
    replayEndId = toId;
    log.info("topic={} group={} replays msg={}..{} from storage first", topic.name, name, fromId, toId - 1);
  }

  private boolean isReplaying() {
    return replayNextId < replayEndId || !replayBuffer.isEmpty();
  }

  private void requestReplay() {
    if (!replayLoading) {
      replayLoading = true;
      broker.storage().load(topic.name, name, replayNextId,
          (int) Math.min(Broker.LOAD_CHUNK_MESSAGES, replayEndId - replayNextId), topic.loadChunkBytes());
    }
  }

  /** Storage read back a chunk of this group's replay. */
  void replayLoaded(List<Message> messages) {
    replayLoading = false;
    topic.positionsChanged();
    long before = replayNextId;
    for (Message message : messages) {
      if (message.id() >= replayNextId && message.id() < replayEndId) {
        RetainedMessages.Stored stored = new RetainedMessages.Stored(message);
        stored.unackedGroups = 1; // this group's own copy, outside the topic's window
        replayBuffer.addLast(new Entry(stored, message.id()));
        replayNextId = message.id() + 1;
      }
    }
    if (replayNextId == before) {
      // Storage has nothing left there (retention deleted it meanwhile): the replay is over.
      log.warn("topic={} group={} replay found nothing from msg={}; continuing with msg={}", topic.name, name,
          before, replayEndId);
      replayNextId = replayEndId;
    }
    dispatch();
  }

  /** The lowest id this group may still need from storage (its replay), else the window's start. */
  long lowestNeededId() {
    if (replayNextId >= replayEndId && replayBuffer.isEmpty() && inFlight.isEmpty() && redelivery.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long lowest = replayNextId < replayEndId ? replayNextId : Long.MAX_VALUE;
    // Walked in place rather than through position(): this runs for every group at each checkpoint.
    for (Entry entry : redelivery) {
      lowest = Math.min(lowest, entry.id());
    }
    for (Entry entry : inFlight.values()) {
      lowest = Math.min(lowest, entry.id());
    }
    for (Entry entry : replayBuffer) {
      lowest = Math.min(lowest, entry.id());
    }
    return lowest;
  }

  /** Passes over what needs no delivery: messages acked before a restart, and lost slots. */
  private void skipAckedAhead() {
    while (!redelivery.isEmpty() && redelivery.peekFirst().stored.lost) {
      redelivery.pollFirst();
    }
    while (nextId < topic.retained.endId()) {
      RetainedMessages.Stored stored = topic.retained.get(nextId);
      if (stored.lost) {
        nextId = topic.retained.nextAfter(nextId);
      } else if (!ackedAhead.isEmpty() && ackedAhead.remove(nextId)) {
        topic.release(stored);
        topic.positionsChanged();
        nextId++;
      } else {
        return;
      }
    }
  }

  /**
   * Rebuilds this group after a restart: pending deliveries wait at the front, in id order, with
   * their attempts; the topic's messages are counted unacked for this group exactly where they are.
   */
  void restore(GroupPosition position) {
    long firstId = topic.retained.firstId();
    for (GroupPosition.PendingDelivery pending : position.pending()) {
      RetainedMessages.Stored stored = topic.retained.get(pending.id());
      if (stored != null && !stored.lost && pending.id() < nextId) {
        Entry entry = new Entry(stored, pending.id());
        entry.attempts = pending.attempts();
        stored.unackedGroups++;
        redelivery.addLast(entry);
      }
    }
    List<Entry> ordered = new ArrayList<>(redelivery);
    ordered.sort(Comparator.comparingLong(Entry::id));
    redelivery.clear();
    redelivery.addAll(ordered);
    for (long id = Math.max(nextId, firstId); id < topic.retained.endId(); id = topic.retained.nextAfter(id)) {
      RetainedMessages.Stored stored = topic.retained.get(id);
      if (!stored.lost) {
        stored.unackedGroups++;
      }
    }
    for (long id : position.ackedAhead()) {
      if (id >= nextId && id < topic.retained.endId()) {
        if (ackedAhead.isEmpty()) {
          ackedAhead = new HashSet<>();
        }
        ackedAhead.add(id);
      }
    }
  }

  /** Where this group stands, for a checkpoint: its next id, what it holds unacked, acks ahead. */
  GroupPosition position() {
    List<GroupPosition.PendingDelivery> pending = new ArrayList<>(redelivery.size() + inFlight.size());
    for (Entry entry : redelivery) {
      pending.add(new GroupPosition.PendingDelivery(entry.id(), entry.attempts));
    }
    for (Entry entry : inFlight.values()) {
      pending.add(new GroupPosition.PendingDelivery(entry.id(), entry.attempts));
    }
    // Replayed but not delivered yet: taken from storage, so pending too.
    for (Entry entry : replayBuffer) {
      pending.add(new GroupPosition.PendingDelivery(entry.id(), entry.attempts));
    }
    long next = replayNextId < replayEndId ? replayNextId : nextId;
    return new GroupPosition(name, next, pending, ackedAhead);
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
        while (!broker.isDraining() && hasReady()) {
          Entry retry = redelivery.peekFirst();
          Entry replay = retry == null ? replayBuffer.peekFirst() : null;
          if (retry == null && replay == null && replayNextId < replayEndId) {
            requestReplay(); // older messages first; they come back through replayLoaded
            break;
          }
          RetainedMessages.Stored next = retry != null ? retry.stored
              : replay != null ? replay.stored : topic.retained.get(nextId);
          if (next.message == null) {
            // Paged out: storage reads it back, and the topic dispatches again when it has.
            topic.requestLoad(retry != null ? retry.id() : nextId);
            break;
          }
          Subscription target = pickConsumer(retry == null ? null : retry.holder);
          if (target == null) {
            break;
          }
          Entry entry = retry != null ? redelivery.pollFirst()
              : replay != null ? replayBuffer.pollFirst() : new Entry(next, nextId++);
          deliver(entry, target);
        }
      } while (dispatchRequested);
    } finally {
      dispatching = false;
    }
  }

  GroupStats stats(long nowMillis) {
    Entry oldestRetry = redelivery.peekFirst();
    RetainedMessages.Stored oldestNew = topic.retained.get(nextId);
    long oldestTimestamp = oldestRetry != null && oldestRetry.message() != null ? oldestRetry.message().timestampMillis()
        : oldestNew != null && oldestNew.message != null ? oldestNew.message.timestampMillis() : -1;
    long ready = readyCount();
    return new GroupStats(name, ready, inFlight.size(), ring.size(), delivered, acked, redelivered,
        oldestTimestamp < 0 ? 0 : Math.max(0, nowMillis - oldestTimestamp));
  }

  int consumerCount() {
    return ring.size();
  }

  long readyCount() {
    return redelivery.size() + replayBuffer.size() + Math.max(0, replayEndId - replayNextId)
        + topic.retained.countFrom(nextId) - ackedAhead.size();
  }

  private void requeueAtFront(List<Entry> entries) {
    topic.positionsChanged();
    for (Entry entry : entries) {
      broker.storage().requeued(topic.name, name, entry.id(), entry.attempts);
    }
    entries.sort(Comparator.comparingLong(Entry::id));
    for (int i = entries.size() - 1; i >= 0; i--) {
      redelivery.addFirst(entries.get(i));
    }
  }

  /**
   * The next consumer in the ring with credit and room, starting at the cursor. A message that
   * comes back avoids the consumer that last held it (it may be stalled) when another can take it.
   */
  private Subscription pickConsumer(Subscription previousHolder) {
    int size = ring.size();
    int fallback = -1;
    boolean blockedOnWrites = false;
    for (int step = 0; step < size; step++) {
      int index = (cursor + step) % size;
      Subscription candidate = ring.get(index);
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
      cursor = (index + 1) % size;
      return candidate;
    }
    if (fallback >= 0) {
      cursor = (fallback + 1) % size;
      return ring.get(fallback);
    }
    if (blockedOnWrites) {
      broker.blockedOnWrites(this); // offered again by consumerWritable() when a socket drains
    }
    return null;
  }

  private void deliver(Entry entry, Subscription target) {
    topic.positionsChanged();
    entry.attempts++;
    entry.holder = target;
    entry.deadlineNanos = broker.nowNanos() + broker.policy().ackTimeoutNanos();
    inFlight.put(entry.id(), entry);
    target.inFlight++;
    delivered++;
    if (entry.attempts > 1) {
      redelivered++;
    }
    broker.inFlightChanged(this, 1);
    if (log.isDebugEnabled()) {
      log.debug("deliver topic={} group={} msg={} attempt={} to {}", topic.name, name, entry.id(), entry.attempts,
          target.name());
    }
    target.consumer.deliver(entry.message(), entry.attempts);
  }
}
