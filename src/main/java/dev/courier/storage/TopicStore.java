package dev.courier.storage;

import dev.courier.core.GroupPosition;
import dev.courier.core.WarnLimiter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic on disk: {@code messages/} (the message log, record id = message id), {@code groups/}
 * (the group event log, record id = a sequence number) and {@code checkpoint}. Used by the storage
 * thread only.
 */
final class TopicStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicStore.class);

  final String name;
  final Path dir;
  final SegmentedLog messages;
  final SegmentedLog events;
  /** Keeps ids unique even if the newest message segment is lost; see {@link IdReservation}. */
  final IdReservation ids;
  /**
   * The id the next accepted message gets. Written from outside only by {@link TopicRecovery}
   * (which may move it past ids a lost segment held); the group commit goes through
   * {@link #stageMessage} and {@link #writeStagedMessages}.
   */
  long nextMessageId;
  private long nextEventSeq;
  private long lastCheckpointSeq;
  private final List<LogRecord> stagedMessages = new ArrayList<>();
  private final List<LogRecord> stagedEvents = new ArrayList<>();
  /** Written since the last force. */
  private boolean dirty;
  private final WarnLimiter errors;

  private TopicStore(String name, Path dir, SegmentedLog messages, SegmentedLog events, long lastCheckpointSeq,
      IdReservation ids, WarnLimiter errors) {
    this.name = name;
    this.errors = errors;
    this.dir = dir;
    this.messages = messages;
    this.events = events;
    this.ids = ids;
    this.nextMessageId = messages.lastId() < 0 ? 1 : messages.lastId() + 1;
    this.lastCheckpointSeq = lastCheckpointSeq;
    this.nextEventSeq = Math.max(events.lastId() < 0 ? 1 : events.lastId() + 1, lastCheckpointSeq + 1);
  }

  static TopicStore open(String name, Path dir, StorageFiles files, long lastCheckpointSeq) throws IOException {
    Files.createDirectories(dir);
    IdReservation ids = IdReservation.read(dir);
    SegmentedLog messages = SegmentedLog.open(dir.resolve("messages"), files.segmentBytes(), files.writer(),
        files.openFiles());
    SegmentedLog events = SegmentedLog.open(dir.resolve("groups"), files.segmentBytes(), files.writer(),
        files.openFiles());
    return new TopicStore(name, dir, messages, events, lastCheckpointSeq, ids, files.errors());
  }

  /** The oldest message id the log can still read (the next id when it holds none). */
  long firstStoredId() {
    return messages.firstId() < 0 ? nextMessageId : messages.firstId();
  }

  /**
   * After an append: a segment it created must be remembered before its messages are confirmed,
   * so that losing that file later is noticed. A failure only weakens that check: logged, and
   * tried again after the next append.
   */
  private void recordNewestSegment() {
    try {
      ids.recordNewestSegment(messages.lastSegmentFirstId());
    } catch (IOException e) {
      log.error("topic={} could not record its newest segment in {}: {}", name, dir.resolve(IdReservation.FILE_NAME),
          e.toString());
    }
  }

  /** The planned size of the message log, for the disk limit. */
  SegmentedLog.SizePlan planSize() {
    return messages.planSize();
  }

  /** Takes {@code record}, which must carry {@link #nextMessageId}, into this batch's messages. */
  void stageMessage(LogRecord record) {
    if (record.id() != nextMessageId) {
      throw new IllegalStateException("topic=" + name + " staged msg=" + record.id() + ", expected " + nextMessageId);
    }
    nextMessageId++;
    stagedMessages.add(record);
  }

  /**
   * Writes the messages staged in this batch, the id reservation first. Returns null, or why none
   * was kept: then their ids are free again, and no message of the batch may be confirmed.
   */
  String writeStagedMessages() {
    if (stagedMessages.isEmpty()) {
      return null;
    }
    String failure = null;
    try {
      ids.reserveThrough(nextMessageId - 1); // before any id past the reservation is written
      messages.append(stagedMessages);
      dirty = true;
      recordNewestSegment();
    } catch (IOException | RuntimeException e) {
      failure = "storage unavailable: " + e.getMessage();
      errors.error("topic={} append of {} messages failed: {}", name, stagedMessages.size(), e.toString());
      nextMessageId -= stagedMessages.size();
    }
    stagedMessages.clear();
    return failure;
  }

  /** Gives {@code event} the next sequence number and stages it for {@link #writeStagedEvents}. */
  void stageEvent(GroupEvent event) {
    stagedEvents.add(RecordCodec.encode(nextEventSeq++, event));
  }

  /** The sequence number of the last event staged or written: what a checkpoint placed now covers. */
  long lastEventSeq() {
    return nextEventSeq - 1;
  }

  /** Appends the group events staged for this batch; losing them costs redeliveries, never messages. */
  void writeStagedEvents() {
    if (stagedEvents.isEmpty()) {
      return;
    }
    try {
      events.append(stagedEvents);
      dirty = true;
    } catch (IOException | RuntimeException e) {
      errors.error("topic={} could not journal {} group events: {}", name, stagedEvents.size(), e.toString());
      nextEventSeq -= stagedEvents.size();
    }
    stagedEvents.clear();
  }

  /** True when the checkpoint already covers every event through {@code lastEventSeq}. */
  boolean isCheckpointedThrough(long lastEventSeq) {
    return lastEventSeq <= lastCheckpointSeq;
  }

  /**
   * Replaces the checkpoint by {@code positions}, which cover the events through
   * {@code lastEventSeq}, and deletes the event segments it makes unnecessary. The caller forces
   * the logs first, so the checkpoint never claims an event that is not on disk.
   */
  void writeCheckpoint(long lastEventSeq, List<GroupPosition> positions, List<dev.courier.core.DedupKey> dedupKeys)
      throws IOException {
    new Checkpoint(lastEventSeq, positions, dedupKeys).write(dir);
    lastCheckpointSeq = lastEventSeq;
    events.deleteSegmentsBelow(lastEventSeq + 1);
  }

  /** Forces both logs if anything was written since the last force; true when it forced. */
  boolean forceIfDirty() {
    if (!dirty) {
      return false;
    }
    try {
      messages.force();
      events.force();
      dirty = false;
      return true;
    } catch (IOException e) {
      errors.error("topic={} fsync failed: {}", name, e.toString());
      return false;
    }
  }

  /**
   * Deletes the fully acked segments below {@code firstRetained} that retention does not keep.
   * Costs nothing for a topic with one segment, or whose oldest segment is not fully acked: most
   * topics, most of the time.
   */
  void applyRetention(long firstRetained, long nowMillis, long retentionMs, long retentionBytes) {
    if (messages.segmentCount() <= 1 || messages.oldestSegmentLastId() >= firstRetained) {
      return;
    }
    try {
      long below = Retention.deletableBelow(messages.segments(), firstRetained, nowMillis, retentionMs, retentionBytes);
      int deleted = messages.deleteSegmentsBelow(below);
      if (deleted > 0) {
        log.info("topic={} deleted {} fully acked segments below msg={}", name, deleted, below);
      }
    } catch (IOException e) {
      errors.error("topic={} retention failed: {}", name, e.toString());
    }
  }

  /**
   * Up to {@code limit} stored messages (about {@code maxBytes}) from {@code fromId} on, or the
   * last {@code limit} when {@code fromId} is negative. A record that does not decode is logged
   * and left out; a read that fails returns what it had.
   */
  List<StoredMessage> read(long fromId, int limit, long maxBytes) {
    List<StoredMessage> result = new ArrayList<>();
    if (messages.lastId() < 0) {
      return result;
    }
    long from = fromId >= 0 ? fromId : Math.max(messages.firstId(), messages.lastId() - limit + 1);
    try {
      for (LogRecord record : messages.read(from, limit, maxBytes)) {
        try {
          result.add(RecordCodec.decodeMessage(record));
        } catch (CorruptRecordException e) {
          errors.error("topic={} msg={} cannot be read back: {}", name, record.id(), e.getMessage());
        }
      }
    } catch (IOException | RuntimeException e) {
      errors.error("topic={} read from msg={} failed: {}", name, from, e.toString());
    }
    return result;
  }

  /** Bytes of both logs' segment files; costs nothing. */
  long sizeBytes() {
    return messages.sizeBytes() + events.sizeBytes();
  }

  @Override
  public void close() throws IOException {
    try {
      messages.close();
    } finally {
      events.close();
    }
  }
}
