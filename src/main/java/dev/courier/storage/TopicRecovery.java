package dev.courier.storage;

import dev.courier.core.GroupPosition;
import dev.courier.core.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of one topic at start: open its logs (repairing a torn tail), replay its group events
 * over its checkpoint, and load the messages some group still needs, as far as the memory budget
 * goes; past it, only their sizes, for the pager to read them back later.
 */
record TopicRecovery(TopicStore store, RecoveredTopic topic) {
  private static final Logger log = LoggerFactory.getLogger(TopicRecovery.class);
  /** Recovery reads the retained messages in chunks of this many. */
  private static final int READ_CHUNK = 10_000;

  static TopicRecovery run(String name, Path dir, StorageOptions options, StorageFiles files) throws IOException {
    Checkpoint checkpoint = Checkpoint.read(dir);
    TopicStore store = TopicStore.open(name, dir, files, checkpoint.lastEventSeq());
    GroupReplay replay = new GroupReplay(checkpoint);
    long[] replayed = {0};
    store.events.scan(record -> {
      if (record.id() > checkpoint.lastEventSeq()) {
        try {
          replay.apply(RecordCodec.decodeGroupEvent(record));
          replayed[0]++;
        } catch (CorruptRecordException e) {
          log.error("topic={} group event {} skipped: {}", name, record.id(), e.getMessage());
        }
      }
    });
    List<GroupPosition> positions = replay.positions();
    long firstNeeded = store.nextMessageId;
    for (GroupPosition position : positions) {
      firstNeeded = Math.min(firstNeeded, position.nextId());
      for (GroupPosition.PendingDelivery pending : position.pending()) {
        firstNeeded = Math.min(firstNeeded, pending.id());
      }
    }
    if (positions.isEmpty() && store.messages.firstId() >= 0) {
      firstNeeded = store.messages.firstId(); // no group yet: everything waits for the first one
    }
    List<Message> messages = new ArrayList<>();
    long residentBytes = 0;
    long pagedFromId = store.nextMessageId;
    long[] pagedSizes = new long[0];
    int paged = 0;
    long from = Math.max(firstNeeded, Math.max(1, store.messages.firstId()));
    while (from < store.nextMessageId) {
      List<LogRecord> chunk = store.messages.read(from, READ_CHUNK, Long.MAX_VALUE);
      if (chunk.isEmpty()) {
        break;
      }
      for (LogRecord record : chunk) {
        if (paged > 0 || residentBytes + record.body().length > options.topicMemoryBytes()) {
          // Past the memory budget: only the size, dense from pagedFromId (a gap counts as size 0).
          if (paged == 0) {
            pagedFromId = record.id();
            pagedSizes = new long[(int) Math.min(Integer.MAX_VALUE - 8, store.nextMessageId - record.id())];
          }
          int index = (int) (record.id() - pagedFromId);
          pagedSizes[index] = record.body().length;
          paged = index + 1;
          continue;
        }
        try {
          Message message = toMessage(name, RecordCodec.decodeMessage(record));
          messages.add(message);
          residentBytes += message.sizeBytes();
        } catch (CorruptRecordException e) {
          log.error("topic={} msg={} cannot be read back and is skipped: {}", name, record.id(), e.getMessage());
        }
      }
      from = chunk.get(chunk.size() - 1).id() + 1;
    }
    pagedSizes = java.util.Arrays.copyOf(pagedSizes, paged);
    log.info("topic={} recovered: {} messages to deliver from msg={} ({} in memory, {} left on disk), next msg={}, "
        + "{} groups, {} group events replayed; {}", name, messages.size() + paged,
        messages.isEmpty() ? pagedFromId : messages.get(0).id(), messages.size(), paged, store.nextMessageId,
        positions.size(), replayed[0], store.messages.recoveryReport());
    return new TopicRecovery(store, new RecoveredTopic(name, store.nextMessageId, messages, pagedFromId, pagedSizes,
        positions, store.firstStoredId(), store.messages.recoveryReport()));
  }

  private static Message toMessage(String topic, StoredMessage stored) {
    return new Message(stored.id(), topic, stored.payload(), stored.key(), stored.headers(), stored.base64(),
        stored.timestampMillis());
  }
}
