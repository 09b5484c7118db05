package dev.courier.core;

/**
 * The storage the core needs: the one port every storage implements (memory, the durable log,
 * later a replicated log). Called on the broker's owner thread; an implementation hands the work
 * on and returns at once (it never blocks). Outcomes come back as inputs of the broker (see
 * {@link StorageOutcomes}), on the owner thread, for a topic's appends in the order they were made.
 */
public interface Storage {
  /**
   * Keeps an admitted message: answered with {@link StorageOutcomes#stored} (under the topic's
   * next id) or {@link StorageOutcomes#storeFailed}.
   */
  void append(StoreRequest request);

  /**
   * Reads up to {@code maxMessages} (about {@code maxBytes}) stored messages of the topic from
   * {@code fromId}, for the topic's shared window or (with a {@code group}) for that group's replay
   * of messages older than the window; answered with {@link StorageOutcomes#loaded}. Only called
   * when {@link #keepsLog()}.
   */
  void load(String topic, String group, long fromId, int maxMessages, long maxBytes);

  /**
   * Up to {@code limit} (at least 1) messages of a topic from {@code fromId} on (the last ones when
   * negative), about {@code maxBytes} at most but the first whatever its size, for a history read;
   * {@code reply} runs on the owner thread. Affects no group.
   */
  void history(String topic, long fromId, int limit, long maxBytes, HistoryListener reply);

  /** A group was created with {@code settings} and starts at {@code startId}: journaled, never answered. */
  void groupCreated(String topic, String group, long startId, GroupSettings settings);

  /** A group acked a message: journaled, never answered. */
  void acked(String topic, String group, long messageId);

  /**
   * A message went back to a group's ready messages after {@code attempts} deliveries, to be
   * retried not before {@code notBeforeMillis} (wall time; 0: at once): journaled, never answered.
   */
  void requeued(String topic, String group, long messageId, int attempts, long notBeforeMillis);

  /**
   * A delayed publish became due and went to the groups that had passed it ({@link DelayedMessages}):
   * journaled, never answered, so that a restart does not hold it back again. Storage that keeps no
   * log has nothing to journal.
   */
  default void delayDue(String topic, long messageId, long dueMillis) {
  }

  /**
   * An operator deleted a group: journaled, never answered. A recovery forgets it (its position,
   * pending deliveries and settings); a group of that name created later starts afresh.
   */
  void groupDeleted(String topic, String group);

  /**
   * Whether messages stay readable after the core let go of them (a log): then topics may page
   * messages out of memory and new groups replay what retention kept. False for memory storage.
   */
  boolean keepsLog();

  /** Builds the storage of a broker, handed the broker's inputs when the broker is built. */
  @FunctionalInterface
  interface Factory {
    Storage open(StorageOutcomes outcomes);
  }
}
