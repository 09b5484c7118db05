package dev.courier.core;

import java.util.List;

/**
 * A topic as storage recovered it at a start, for {@link Broker#restore}: the messages some group
 * still needs that fit in memory ({@code resident}, dense ids but for damaged gaps), then only the
 * sizes of those left on disk from {@code pagedFromId} on (loaded back when needed), the id its log
 * continues with, where each group stood ({@link JournalReplay} folds the journal into these), and
 * the oldest id storage can still read (acked messages kept by retention included), and the
 * {@code dedup_id}s of the messages storage still holds, in id order; and the delayed publishes
 * still pending (above the delay watermark of the groups' positions), as id and due time pairs.
 */
public record RestoredTopic(String name, long nextId, List<Message> resident, long pagedFromId, long[] pagedSizes,
    List<GroupPosition> groups, long firstStoredId, List<DedupKey> dedupKeys, long[] delayedIds,
    long[] delayedDueMillis) {
  public RestoredTopic {
    resident = List.copyOf(resident);
    groups = List.copyOf(groups);
    dedupKeys = List.copyOf(dedupKeys);
    if (delayedIds.length != delayedDueMillis.length) {
      throw new IllegalArgumentException("delayed ids and due times differ in number");
    }
  }

  public RestoredTopic(String name, long nextId, List<Message> resident, long pagedFromId, long[] pagedSizes,
      List<GroupPosition> groups, long firstStoredId, List<DedupKey> dedupKeys) {
    this(name, nextId, resident, pagedFromId, pagedSizes, groups, firstStoredId, dedupKeys, new long[0], new long[0]);
  }

  public RestoredTopic(String name, long nextId, List<Message> resident, long pagedFromId, long[] pagedSizes,
      List<GroupPosition> groups, long firstStoredId) {
    this(name, nextId, resident, pagedFromId, pagedSizes, groups, firstStoredId, List.of());
  }

  /** A topic with nothing left to deliver: its log continues at {@code nextId}. */
  public static RestoredTopic empty(String name, long nextId, List<GroupPosition> groups) {
    return new RestoredTopic(name, nextId, List.of(), nextId, new long[0], groups, nextId);
  }
}
