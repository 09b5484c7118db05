package dev.courier.core;

import java.util.List;

/**
 * Rebuilds a (new, empty) {@link Topic} after a restart: its retained messages, dense from the
 * first, and where each group stood. Kept apart from Topic because it runs once per start and
 * has its own concern (gaps left by corrupt records, a lost tail); it sets the topic's counters
 * directly, as it did inside it. Nothing is journaled: it all came from the journal.
 */
final class TopicRestore {
  private TopicRestore() {
  }

  static void restore(Topic topic, CoreContext context, RestoredTopic restored) {
    RetainedMessages retained = topic.retained;
    long nextId = restored.nextId();
    List<Message> messages = restored.resident();
    long pagedFromId = restored.pagedFromId();
    long[] pagedSizes = restored.pagedSizes();
    long firstId = !messages.isEmpty() ? messages.get(0).id() : pagedSizes.length > 0 ? pagedFromId : nextId;
    retained.restartAt(firstId);
    for (Message message : messages) {
      fillGapsBelow(retained, message.id());
      retained.append(new RetainedMessages.Stored(message));
      topic.retainedBytes += message.sizeBytes();
      topic.residentBytes += ResidentSize.of(message);
      topic.published++;
    }
    for (int i = 0; i < pagedSizes.length; i++) {
      fillGapsBelow(retained, pagedFromId + i);
      retained.append(RetainedMessages.Stored.paged(pagedSizes[i]));
      topic.retainedBytes += pagedSizes[i];
      topic.published++;
    }
    // Past the last restored message the log may continue far ahead (a lost tail): one gap, no slots.
    retained.skipTo(nextId);
    // Retention may have kept acked messages below the window: a new earliest group replays them.
    topic.storedFromId = restored.firstStoredId();
    if (retained.endId() != nextId) {
      throw new IllegalArgumentException("topic " + topic.name + ": restored messages end at " + retained.endId()
          + " but the log continues at " + nextId);
    }
    topic.delays.restore(restored);
    for (GroupPosition position : restored.groups()) {
      Group group = new Group(context, topic, position.group(), Math.max(position.nextId(), retained.firstId()),
          position.settings());
      topic.groups.put(position.group(), group);
      group.restore(position);
    }
    // Recovery replayed events past the last checkpoint: the first checkpoint after a start
    // takes them in, so the next start replays less.
    topic.positionsChanged();
    topic.trimHead();
    topic.dedup.restore(restored.dedupKeys());
  }

  /** Ids whose record recovery had to skip as corrupt: empty slots that every group passes over. */
  private static void fillGapsBelow(RetainedMessages retained, long id) {
    while (retained.endId() < id) {
      retained.append(RetainedMessages.Stored.lostRecord());
    }
  }
}
