package dev.courier.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the topics and groups of one broker share, instead of a pointer back to the broker: the
 * clock, the delivery policy, the storage port, the memory budget, and the broker-wide
 * bookkeeping they feed (the deadline heap, the groups blocked on full sockets, the topics to
 * checkpoint). Single-threaded like the broker that owns it.
 */
final class CoreContext {
  final Clock clock;
  final DeliveryPolicy policy;
  final Storage storage;
  /** Per topic; beyond it new messages stay in storage only. Unbounded with storage that keeps no log. */
  final long memoryBudgetBytes;
  /** See {@link BrokerRules#dedupWindowMillis()}; set once by the broker's constructor. */
  long dedupWindowMillis = BrokerRules.DEFAULT_DEDUP_WINDOW_MILLIS;
  /** Every delivery in flight, in every group, by ack deadline: the sweep pops what is due. */
  final DeadlineHeap inFlight = new DeadlineHeap();
  /** Every failed delivery waiting for its retry time (a nack with a delay), by due time. */
  final DeadlineHeap delayedRetries = new DeadlineHeap();
  /** Topics with delayed publishes not due yet ({@link TopicDelays}): the sweep releases what is due. */
  final LinkedHashSet<Topic> delaying = new LinkedHashSet<>();
  /** Told when a delayed retry became the earliest of them: a sweep armed for later must come sooner. */
  Runnable earlierRetry = () -> { };
  /** The publish route, for dead letters; set by the broker once built. */
  Publishing publishing;
  /** Trouble the core reports about its own work (a dead letter refused), at most a few lines a second. */
  final WarnLimiter warnings = new WarnLimiter(org.slf4j.LoggerFactory.getLogger(Broker.class), 10);
  /**
   * Groups that stopped dispatching because a consumer with credit could not take more (its
   * socket was full): {@link Broker#consumerWritable()} offers messages in these only.
   */
  final LinkedHashSet<Group> blockedOnWrites = new LinkedHashSet<>();
  /**
   * Topics some group of which moved since the last checkpoint took them: a checkpoint rewrites
   * (and forces) only these, not every idle topic every interval.
   */
  final LinkedHashSet<Topic> changedSinceCheckpoint = new LinkedHashSet<>();
  /** Set once draining for shutdown began: nothing is dispatched, nothing expires. */
  boolean draining;

  /**
   * Requeues every delivery due at {@code now}, each group's at once (front, id order); how many.
   * All are taken off the heap first: requeueing dispatches again, which adds to the heap.
   */
  int expireDue(long now) {
    int retried = delayedRetries.isEmpty() ? 0 : Retries.retryDue(delayedRetries, now);
    if (!delaying.isEmpty()) {
      retried += TopicDelays.releaseDue(new ArrayList<>(delaying), clock.wallMillis());
    }
    if (inFlight.isEmpty()) {
      return retried;
    }
    Map<Group, List<Entry>> due = new LinkedHashMap<>();
    for (Entry entry : inFlight.pollDue(now)) {
      due.computeIfAbsent(entry.holder.group, g -> new ArrayList<>()).add(entry);
    }
    int requeued = retried;
    for (Map.Entry<Group, List<Entry>> expired : due.entrySet()) {
      expired.getKey().expired(expired.getValue());
      requeued += expired.getValue().size();
    }
    return requeued;
  }

  /**
   * Nanoseconds from {@code now} to the earliest ack deadline, delayed retry or delayed publish, -1 when there is
   * none: the sweep timer is armed for it, and re-armed after each sweep, so it never misses one.
   */
  long nanosUntilNextDeadline(long now) {
    Entry first = inFlight.peek();
    Entry retry = delayedRetries.peek();
    if (first == null || retry != null && retry.deadlineNanos - first.deadlineNanos < 0) {
      first = retry;
    }
    // Relative to now: deadlines may wrap past Long.MAX_VALUE, as System.nanoTime() may.
    long nanos = first == null ? -1 : Math.max(0, first.deadlineNanos - now);
    if (!delaying.isEmpty()) {
      // A delayed publish is due at a wall time (it must hold across restarts): its distance from now.
      long wallNow = clock.wallMillis();
      for (Topic topic : delaying) {
        long untilDue = Math.max(0, topic.delays.firstDueMillis() - wallNow) * 1_000_000L;
        nanos = nanos < 0 ? untilDue : Math.min(nanos, untilDue);
      }
    }
    return nanos;
  }

  /** Some consumer's buffer drained: offer messages again in the groups that found one full. */
  void dispatchBlocked() {
    List<Group> blocked = new ArrayList<>(blockedOnWrites);
    blockedOnWrites.clear();
    for (Group group : blocked) {
      group.dispatch();
    }
  }

  /** The names of the topics changed since the last call, each marked as checkpointed. */
  List<String> takeTopicsToCheckpoint() {
    List<String> names = new ArrayList<>(changedSinceCheckpoint.size());
    for (Topic topic : changedSinceCheckpoint) {
      names.add(topic.name);
      topic.checkpointed();
    }
    changedSinceCheckpoint.clear();
    return names;
  }

  CoreContext(Clock clock, DeliveryPolicy policy, Storage storage, long memoryBudgetBytes) {
    this.clock = clock;
    this.policy = policy;
    this.storage = storage;
    this.memoryBudgetBytes = memoryBudgetBytes;
  }
}
