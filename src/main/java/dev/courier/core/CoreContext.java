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
  /** Every delivery in flight, in every group, by ack deadline: the sweep pops what is due. */
  final DeadlineHeap inFlight = new DeadlineHeap();
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
    Map<Group, List<Entry>> due = new LinkedHashMap<>();
    for (Entry entry : inFlight.pollDue(now)) {
      due.computeIfAbsent(entry.holder.group, g -> new ArrayList<>()).add(entry);
    }
    int requeued = 0;
    for (Map.Entry<Group, List<Entry>> expired : due.entrySet()) {
      expired.getKey().expired(expired.getValue());
      requeued += expired.getValue().size();
    }
    return requeued;
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
