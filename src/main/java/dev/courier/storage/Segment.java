package dev.courier.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file and what the log knows about it without reading it: its size, its last id,
 * a sparse index, and the positions of damaged records recovery already reported (so reads skip
 * them without reporting again). The channel is opened on use and closed by the store's
 * {@link OpenFiles} budget when others were used more recently, or by {@link #close}.
 */
final class Segment {

  /** Takes the records of a walk; returns false to stop it. */
  @FunctionalInterface
  interface RecordSink {
    boolean accept(LogRecord record) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(Segment.class);

  final Path path;
  final long firstId;
  long lastId = -1;
  long sizeBytes;
  /** Where recovery found a record it could not get past, or -1; reads stop there. */
  long damagedFrom = -1;
  final SparseIndex index = new SparseIndex();
  final Set<Long> reportedBadPositions = new HashSet<>();
  /** When the log last wrote to it, or -1 until asked (then read from the file, once). */
  private long lastModifiedMillis = -1;
  private final OpenFiles files;
  private FileChannel channel;
  private boolean writable;

  Segment(Path path, long firstId, long sizeBytes, OpenFiles files) {
    this.path = path;
    this.firstId = firstId;
    this.sizeBytes = sizeBytes;
    this.files = files;
  }

  /** The end of the bytes a reader may walk. */
  long readableEnd() {
    return damagedFrom >= 0 ? damagedFrom : sizeBytes;
  }

  boolean hasRecords() {
    return lastId >= 0;
  }

  /**
   * An upper bound on the ids in this segment, given the first id of the segment after it. Exact
   * unless recovery skipped damaged records, whose ids it cannot know.
   */
  long highestPossibleId(long nextFirstId) {
    boolean damaged = damagedFrom >= 0 || !reportedBadPositions.isEmpty();
    return damaged ? nextFirstId - 1 : lastId;
  }

  /**
   * Hands each valid record from {@code startPosition} (a record boundary) to {@code sink}, in
   * order. Damage recovery already reported is skipped quietly; damage that appeared since is
   * reported once. Returns false if the sink stopped the walk.
   */
  boolean walk(long startPosition, RecordSink sink) throws IOException {
    SegmentReader reader = new SegmentReader(readChannel(), startPosition, readableEnd());
    for (SegmentReader.Entry entry; (entry = reader.next()) != null; ) {
      if (reportedBadPositions.contains(entry.position())) {
        continue;
      }
      if (entry.kind() != SegmentReader.Kind.VALID) {
        reportedBadPositions.add(entry.position());
        log.warn("{}: {} record at byte {} found after recovery, skipped", path, entry.kind(),
            entry.position());
        continue;
      }
      if (!sink.accept(entry.record())) {
        return false;
      }
    }
    return true;
  }

  FileChannel readChannel() throws IOException {
    if (channel == null) {
      channel = files.openFor(this, StandardOpenOption.READ);
    } else {
      files.used(this);
    }
    return channel;
  }

  FileChannel writeChannel() throws IOException {
    if (!writable) {
      close();
      channel = files.openFor(this, StandardOpenOption.READ, StandardOpenOption.WRITE);
      writable = true;
    } else {
      files.used(this);
    }
    return channel;
  }

  boolean isOpen() {
    return channel != null;
  }

  /** Closes the channel; the next use reopens it. */
  void close() throws IOException {
    files.closed(this);
    if (channel != null) {
      FileChannel closing = channel;
      channel = null;
      writable = false;
      closing.close();
    }
  }

  /** The budget closes the channel: written bytes are in the page cache already, so only log a failure. */
  void release() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      log.warn("{}: closing an idle channel failed: {}", path, e.toString());
    } finally {
      channel = null;
      writable = false;
    }
  }

  /** The log wrote to it just now. */
  void written(long nowMillis) {
    lastModifiedMillis = nowMillis;
  }

  /**
   * A segment the log no longer writes never changes its time, so the file is asked once; retention
   * then costs no system call per segment per pass.
   */
  SegmentInfo info() throws IOException {
    if (lastModifiedMillis < 0) {
      lastModifiedMillis = Files.getLastModifiedTime(path).toMillis();
    }
    return new SegmentInfo(firstId, lastId, sizeBytes, lastModifiedMillis);
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
