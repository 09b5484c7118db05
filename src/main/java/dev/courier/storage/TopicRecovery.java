package dev.courier.storage;

import dev.courier.core.DedupKey;
import dev.courier.core.GroupPosition;
import dev.courier.core.GroupSettings;
import dev.courier.core.JournalReplay;
import dev.courier.core.Message;
import dev.courier.core.ResidentSize;
import dev.courier.core.RestoredTopic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of one topic at start: open its logs (repairing a torn tail), replay its group events
 * over its checkpoint (their meaning is the core's {@link JournalReplay}), and load the messages some group still needs, as far as the memory budget
 * goes; past it, only their sizes, for the pager to read them back later.
 */
record TopicRecovery(TopicStore store, RecoveredTopic topic) {
  private static final Logger log = LoggerFactory.getLogger(TopicRecovery.class);
  /** Recovery reads the retained messages in chunks of this many. */
  private static final int READ_CHUNK = 10_000;

  static TopicRecovery run(String name, Path dir, StorageOptions options, StorageFiles files) throws IOException {
    Checkpoint checkpoint = Checkpoint.read(dir);
    TopicStore store = TopicStore.open(name, dir, files, checkpoint.lastEventSeq());
    JournalReplay replay = new JournalReplay(checkpoint.positions());
    long[] replayed = {0};
    store.events.scan(record -> {
      if (record.id() > checkpoint.lastEventSeq()) {
        try {
          apply(replay, RecordCodec.decodeGroupEvent(record));
          replayed[0]++;
        } catch (CorruptRecordException e) {
          log.error("topic={} group event {} skipped: {}", name, record.id(), e.getMessage());
        }
      }
    });
    List<GroupPosition> positions = replay.positions();
    continueIds(store, positions);
    reportMissingMessages(store, positions);
    reportMissingEvents(store);
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
    // The checkpoint's keys first: older than the records still on disk, which may repeat some.
    List<DedupKey> dedupKeys = new ArrayList<>(checkpoint.dedupKeys());
    Delays delays = new Delays(positions);
    long firstDelayed = collectDedupKeys(name, store, Math.max(1, store.messages.firstId()), from, dedupKeys, delays);
    if (firstDelayed < from) {
      // A delay still pending that every group passed: the window starts there (the keys from
      // there on are collected with the window's records).
      from = firstDelayed;
    }
    while (from < store.nextMessageId) {
      List<LogRecord> chunk = store.messages.read(from, READ_CHUNK, Long.MAX_VALUE);
      if (chunk.isEmpty()) {
        break;
      }
      for (LogRecord record : chunk) {
        StoredMessage stored = paged == 0 ? decodeOrSkip(name, record) : null;
        Message message = stored == null ? null : toMessage(name, stored);
        if (paged > 0 || message != null && residentBytes + ResidentSize.of(message) > options.topicMemoryBytes()) {
          // Past the memory budget, counted as the core counts it at publish (ResidentSize): only
          // the size, dense from pagedFromId (a gap counts as size 0).
          if (paged == 0) {
            pagedFromId = record.id();
            pagedSizes = new long[(int) Math.min(Integer.MAX_VALUE - 8, store.nextMessageId - record.id())];
          }
          int index = (int) (record.id() - pagedFromId);
          pagedSizes[index] = record.body().length;
          paged = index + 1;
          addDedupKey(name, record, dedupKeys);
          delays.add(record);
          continue;
        }
        delays.add(record);
        if (message == null) {
          continue; // unreadable (logged): the core sees a lost slot there
        }
        if (stored.dedupId() != null) {
          dedupKeys.add(new DedupKey(stored.dedupId(), stored.id(), stored.timestampMillis()));
        }
        messages.add(message);
        residentBytes += ResidentSize.of(message);
      }
      from = chunk.get(chunk.size() - 1).id() + 1;
    }
    pagedSizes = java.util.Arrays.copyOf(pagedSizes, paged);
    log.info("topic={} recovered: {} messages to deliver from msg={} ({} in memory, {} left on disk), next msg={}, "
        + "{} groups, {} group events replayed; {}", name, messages.size() + paged,
        messages.isEmpty() ? pagedFromId : messages.get(0).id(), messages.size(), paged, store.nextMessageId,
        positions.size(), replayed[0], store.messages.recoveryReport());
    if (delays.count > 0) {
      log.info("topic={} recovered {} delayed publishes not due yet (released up to due={} msg={})", name,
          delays.count, delays.watermarkMillis, delays.watermarkId);
    }
    return new TopicRecovery(store, new RecoveredTopic(new RestoredTopic(name, store.nextMessageId, messages,
        pagedFromId, pagedSizes, positions, store.firstStoredId(), dedupKeys, delays.ids(), delays.dueMillis()),
        store.messages.recoveryReport()));
  }

  /**
   * The delayed publishes still pending: those above the delay watermark the groups' positions
   * carry (the core's {@link dev.courier.core.GroupPosition#delayedUpToMillis()}), in two arrays
   * rather than an object each, since a million may be pending.
   */
  private static final class Delays {
    long watermarkMillis;
    long watermarkId;
    long[] ids = new long[0];
    long[] due = new long[0];
    int count;

    Delays(List<GroupPosition> positions) {
      for (GroupPosition position : positions) {
        long millis = position.delayedUpToMillis();
        if (millis > watermarkMillis || millis == watermarkMillis && position.delayedUpToId() > watermarkId) {
          watermarkMillis = millis;
          watermarkId = position.delayedUpToId();
        }
      }
    }

    /** Whether this record is a delay still pending. */
    boolean isPending(LogRecord record) {
      long dueMillis = RecordCodec.deliverAtMillis(record);
      return dueMillis > watermarkMillis || dueMillis == watermarkMillis && dueMillis != 0 && record.id() > watermarkId;
    }

    void add(LogRecord record) {
      if (!isPending(record)) {
        return;
      }
      if (count == ids.length) {
        ids = java.util.Arrays.copyOf(ids, Math.max(16, count * 2));
        due = java.util.Arrays.copyOf(due, ids.length);
      }
      ids[count] = record.id();
      due[count] = RecordCodec.deliverAtMillis(record);
      count++;
    }

    long[] ids() {
      return java.util.Arrays.copyOf(ids, count);
    }

    long[] dueMillis() {
      return java.util.Arrays.copyOf(due, count);
    }
  }

  /**
   * The dedup keys of the acked messages retention has not deleted yet (ids {@code from} to
   * {@code to - 1}): only records of a publish with a dedup_id are decoded. Returns the first id
   * among them of a delay still pending ({@code to} when none): the window must start there.
   */
  private static long collectDedupKeys(String name, TopicStore store, long from, long to, List<DedupKey> keys,
      Delays delays) throws IOException {
    while (from < to) {
      List<LogRecord> chunk = store.messages.read(from, READ_CHUNK, Long.MAX_VALUE);
      if (chunk.isEmpty()) {
        return to;
      }
      for (LogRecord record : chunk) {
        if (record.id() >= to) {
          return to;
        }
        if (delays.isPending(record)) {
          return record.id();
        }
        addDedupKey(name, record, keys);
      }
      from = chunk.get(chunk.size() - 1).id() + 1;
    }
    return to;
  }

  private static StoredMessage decodeOrSkip(String name, LogRecord record) {
    try {
      return RecordCodec.decodeMessage(record);
    } catch (CorruptRecordException e) {
      log.error("topic={} msg={} cannot be read back and is skipped: {}", name, record.id(), e.getMessage());
      return null;
    }
  }

  private static void addDedupKey(String name, LogRecord record, List<DedupKey> keys) {
    if (record.type() != RecordCodec.MESSAGE_WITH_LIFECYCLE && record.type() != RecordCodec.MESSAGE_DELAYED) {
      return;
    }
    try {
      StoredMessage stored = RecordCodec.decodeMessage(record);
      if (stored.dedupId() == null) {
        return; // a ttl_ms alone
      }
      keys.add(new DedupKey(stored.dedupId(), stored.id(), stored.timestampMillis()));
    } catch (CorruptRecordException e) {
      log.error("topic={} msg={} cannot be read back and its dedup_id is forgotten: {}", name, record.id(),
          e.getMessage());
    }
  }

  private static void apply(JournalReplay replay, GroupEvent event) {
    if (event instanceof GroupEvent.GroupCreated created) {
      replay.groupCreated(created.group(), created.startId(),
          new GroupSettings(created.maxDeliveries(), created.deadLetterTopic(), created.ordering()));
    } else if (event instanceof GroupEvent.Acked acked) {
      replay.acked(acked.group(), acked.id());
    } else if (event instanceof GroupEvent.Requeued requeued) {
      replay.requeued(requeued.group(), requeued.id(), requeued.attempts(), requeued.notBeforeMillis());
    } else if (event instanceof GroupEvent.GroupDeleted deleted) {
      replay.groupDeleted(deleted.group());
    } else if (event instanceof GroupEvent.DelayDue due) {
      replay.delayDue(due.id(), due.dueMillis());
    }
  }

  /**
   * Sets the id the log continues with. A lost newest segment must not make the broker hand its
   * ids to new messages: consumers that saw them would take the new ones for the old.
   */
  private static void continueIds(TopicStore store, List<GroupPosition> positions) throws IOException {
    IdReservation ids = store.ids;
    long logNext = store.nextMessageId;
    long newestOnDisk = store.messages.lastSegmentFirstId();
    long next = ids.nextId(logNext, newestOnDisk);
    Path file = store.dir.resolve(IdReservation.FILE_NAME);
    if (ids.tailLost(newestOnDisk)) {
      // At least the first id of the missing segment existed; who had not passed it lost something.
      List<String> losers = groupsNeeding(positions, logNext, ids.newestSegment());
      log.warn("topic={} its newest message segment {} is missing (the newest left starts at msg={}): the messages"
          + " with ids {} to at most {} are lost; {}; ids continue at msg={} (from {}) so that none is reused",
          store.name, SegmentFormat.fileName(ids.newestSegment()), newestOnDisk, logNext, next - 1,
          losers.isEmpty() ? "no group still needed them" : "groups " + losers + " had not acked them all", next, file);
    } else if (!ids.isKnown() && store.messages.lastId() >= 0) {
      log.info("topic={} has no {} yet (data from an earlier Courier): ids continue after the log's last one, "
          + "msg={}; the file is written with the next publish", store.name, file, next);
    }
    if (ids.tailLost(newestOnDisk)) {
      ids.skipLostTail(logNext, next, newestOnDisk); // reported once; the log as it is now is the reference
    } else if (ids.isKnown()) {
      ids.recordNewestSegment(newestOnDisk); // created just before a crash, before it could be recorded
    }
    store.nextMessageId = next;
  }

  /** Segment files gone from the middle of the message log: which ids, and who loses them. */
  private static void reportMissingMessages(TopicStore store, List<GroupPosition> positions) {
    for (RecoveryReport.MissingIds missing : store.messages.recoveryReport().missingIds()) {
      if (store.ids.wasSkipped(missing)) {
        continue; // the ids a lost tail made the log skip, reported at the start that skipped them
      }
      List<String> losers = groupsNeeding(positions, missing.firstId(), missing.lastId());
      log.warn("topic={} messages msg={} to msg={} ({} ids) are lost: no segment between {} and {} holds them; {}",
          store.name, missing.firstId(), missing.lastId(), missing.count(), missing.before(), missing.after(),
          losers.isEmpty() ? "every group had acked them, so nothing is lost for delivery"
              : "groups " + losers + " had not acked them and will never receive them");
    }
  }

  private static void reportMissingEvents(TopicStore store) {
    for (RecoveryReport.MissingIds missing : store.events.recoveryReport().missingIds()) {
      log.warn("topic={} group events {} to {} are lost (no segment between {} and {} holds them): the acks and"
          + " requeues they held are forgotten, so those messages may be delivered again", store.name,
          missing.firstId(), missing.lastId(), missing.before(), missing.after());
    }
  }

  /** The groups that still needed some id in {@code from..to}: not passed yet, or taken and not acked. */
  private static List<String> groupsNeeding(List<GroupPosition> positions, long from, long to) {
    List<String> names = new ArrayList<>();
    for (GroupPosition position : positions) {
      boolean needs = position.nextId() <= to
          || position.pending().stream().anyMatch(p -> p.id() >= from && p.id() <= to);
      if (needs) {
        names.add(position.group());
      }
    }
    return names;
  }

  private static Message toMessage(String topic, StoredMessage stored) {
    return new Message(stored.id(), topic, stored.payload(), stored.key(), stored.headers(), stored.base64(),
        stored.timestampMillis(), Message.expiry(stored.timestampMillis(), stored.ttlMillis()));
  }
}
