package dev.courier.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic on disk: {@code messages/} (the message log, record id = message id), {@code groups/}
 * (the group event log, record id = a sequence number) and {@code checkpoint}. Used by the storage
 * thread only.
 */
final class TopicStore implements AutoCloseable {
  final String name;
  final Path dir;
  final SegmentedLog messages;
  final SegmentedLog events;
  long nextMessageId;
  long nextEventSeq;
  long lastCheckpointSeq;
  final List<LogRecord> pendingMessages = new ArrayList<>();
  final List<LogRecord> pendingEvents = new ArrayList<>();
  boolean dirty;

  private TopicStore(String name, Path dir, SegmentedLog messages, SegmentedLog events, long lastCheckpointSeq) {
    this.name = name;
    this.dir = dir;
    this.messages = messages;
    this.events = events;
    this.nextMessageId = messages.lastId() < 0 ? 1 : messages.lastId() + 1;
    this.lastCheckpointSeq = lastCheckpointSeq;
    this.nextEventSeq = Math.max(events.lastId() < 0 ? 1 : events.lastId() + 1, lastCheckpointSeq + 1);
  }

  static TopicStore open(String name, Path dir, long segmentBytes, long lastCheckpointSeq) throws IOException {
    Files.createDirectories(dir);
    SegmentedLog messages = SegmentedLog.open(dir.resolve("messages"), segmentBytes);
    SegmentedLog events = SegmentedLog.open(dir.resolve("groups"), segmentBytes);
    return new TopicStore(name, dir, messages, events, lastCheckpointSeq);
  }

  /** The oldest message id the log can still read (the next id when it holds none). */
  long firstStoredId() {
    return messages.firstId() < 0 ? nextMessageId : messages.firstId();
  }

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
