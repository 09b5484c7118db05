package dev.courier.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of {@link LogRecord}s in one directory, split into segment files named by the
 * first id they hold ({@code 00000000000000000001.seg}). The byte layout is drawn in
 * {@link SegmentFormat}; docs/STORAGE.md describes it for people.
 *
 * <p><b>Threading.</b> Single-threaded and blocking: every method does file I/O on the calling
 * thread. The caller owns one storage thread per log and calls nothing from anywhere else.
 *
 * <p><b>Durability.</b> {@link #append} hands bytes to the OS; only {@link #force} makes them
 * durable. A crash can tear the bytes written after the last {@code force}; {@link #open} cuts
 * such a torn tail back to the last whole record (see {@link LogRecovery}).
 *
 * <p><b>Format versions.</b> Every segment starts with its format version, so segments of
 * different versions can sit side by side in one log. The rule for a version 2:
 * <ol>
 *   <li>readers accept every version they know, and refuse to open a log holding a version newer
 *       than they know (skipping it could reuse its ids);
 *   <li>writers write only the newest version, and only into new segments: a segment is never
 *       rewritten in place, so a version-1 segment stays version 1 until retention deletes it;
 *   <li>a new version is needed for any change a version-1 reader would misread: the record
 *       prefix, the header, or the meaning of an existing record type. A new record type needs no
 *       new version; readers that do not know a type must report it, not guess.
 * </ol>
 */
public final class SegmentedLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SegmentedLog.class);

  private final Path dir;
  private final SegmentDirectory directory;
  private final long segmentBytes;
  private final PositionalWriter writer;
  private final NavigableMap<Long, Segment> segments;
  private final RecoveryReport recoveryReport;
  /** Segments written since the last {@link #force}, oldest first. */
  private final Set<Segment> unsynced = new LinkedHashSet<>();
  private long lastId;
  /** Bytes of every segment file, kept as they change so that asking costs nothing. */
  private long sizeBytes;
  private boolean closed;

  private SegmentedLog(Path dir, long segmentBytes, PositionalWriter writer, OpenFiles files,
      LogRecovery.Result recovered) {
    this.dir = dir;
    this.directory = new SegmentDirectory(dir, files);
    this.segmentBytes = segmentBytes;
    this.writer = writer;
    this.segments = recovered.segments();
    this.recoveryReport = recovered.report();
    this.lastId = segments.isEmpty() ? -1 : segments.lastEntry().getValue().lastId;
    this.sizeBytes = segments.values().stream().mapToLong(segment -> segment.sizeBytes).sum();
  }

  /**
   * Opens (or creates) the log in {@code dir}, checking every record of every segment. Segments
   * roll once they would pass {@code segmentBytes}.
   */
  public static SegmentedLog open(Path dir, long segmentBytes) throws IOException {
    return open(dir, segmentBytes, PositionalWriter.FILE_CHANNEL);
  }

  static SegmentedLog open(Path dir, long segmentBytes, PositionalWriter writer) throws IOException {
    return open(dir, segmentBytes, writer, new OpenFiles(OpenFiles.UNSHARED_CAPACITY));
  }

  /** Opens the log with its channels counted in {@code files}, a budget shared with other logs. */
  static SegmentedLog open(Path dir, long segmentBytes, PositionalWriter writer, OpenFiles files)
      throws IOException {
    if (segmentBytes <= SegmentFormat.HEADER_BYTES) {
      throw new IllegalArgumentException("segmentBytes must exceed the " + SegmentFormat.HEADER_BYTES
          + "-byte header, was " + segmentBytes);
    }
    SegmentedLog opened = new SegmentedLog(dir, segmentBytes, writer, files, LogRecovery.recover(dir, files));
    RecoveryReport report = opened.recoveryReport;
    // A new, empty log (every new topic opens two) is not news; a recovered one is.
    boolean news = report.segments() > 0 || !report.problems().isEmpty();
    String line = "Opened log {}: {} segments, {} records, last id {}, {} problems, {} ms";
    Object[] args = {dir, report.segments(), report.records(), opened.lastId, report.problems().size(),
        report.elapsedNanos() / 1_000_000};
    if (news) {
      log.info(line, args);
    } else {
      log.debug(line, args);
    }
    return opened;
  }

  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  /**
   * Appends the batch: one write per segment it touches, rolling to new segments as needed.
   * Returns the bytes written. If a write fails, every segment is cut back to its size before the
   * batch (best effort) and the exception is rethrown, so no partial record stays behind.
   *
   * @throws IllegalArgumentException if an id is not greater than the one before it (or than
   *     {@link #lastId()}), or a body is too large; nothing is written then
   */
  public long append(List<LogRecord> records) throws IOException {
    checkOpen();
    AppendBatch.validate(records, lastId);
    if (records.isEmpty()) {
      return 0;
    }
    Segment active = segments.isEmpty() ? null : segments.lastEntry().getValue();
    List<AppendBatch.Run> runs = AppendBatch.plan(records, active, segmentBytes);
    List<Segment> targets = new ArrayList<>(); // the segment of each run, in order
    List<Segment> created = new ArrayList<>();
    try {
      for (AppendBatch.Run run : runs) {
        Segment segment = run.segment;
        if (segment == null) {
          segment = directory.createSegment(run.firstId);
          segments.put(segment.firstId, segment);
          created.add(segment);
          sizeBytes += segment.sizeBytes;
        }
        targets.add(segment);
        write(segment, run.encode());
      }
    } catch (IOException | RuntimeException failure) {
      rollBack(targets, created, failure);
      throw failure;
    }
    return commit(runs, targets);
  }

  private void write(Segment segment, ByteBuffer bytes) throws IOException {
    FileChannel channel = segment.writeChannel();
    long position = segment.sizeBytes;
    while (bytes.hasRemaining()) {
      position += writer.write(channel, bytes, position);
    }
  }

  /** Sizes, ids and indexes change only here, after every write succeeded. */
  private long commit(List<AppendBatch.Run> runs, List<Segment> targets) {
    long written = 0;
    long now = System.currentTimeMillis();
    for (int i = 0; i < runs.size(); i++) {
      Segment segment = targets.get(i);
      segment.written(now);
      long position = segment.sizeBytes;
      for (LogRecord record : runs.get(i).records) {
        segment.index.onRecord(record.id(), position);
        position += SegmentFormat.encodedBytes(record);
        segment.lastId = record.id();
      }
      sizeBytes += position - segment.sizeBytes;
      segment.sizeBytes = position;
      unsynced.add(segment);
      written += runs.get(i).bytes;
      lastId = segment.lastId;
    }
    return written;
  }

  /** Cuts touched segments back to their committed size and removes segments this batch made. */
  private void rollBack(List<Segment> targets, List<Segment> created, Exception failure) {
    // The caller logs the failure (rate-limited): a failing disk must not add a line per append here.
    log.debug("Append to {} failed, cutting the batch back out: {}", dir, failure.toString());
    for (Segment segment : targets) {
      if (!created.contains(segment)) {
        try {
          segment.writeChannel().truncate(segment.sizeBytes);
        } catch (IOException | RuntimeException e) {
          failure.addSuppressed(e);
        }
      }
    }
    for (Segment segment : created) {
      try {
        segments.remove(segment.firstId);
        sizeBytes -= segment.sizeBytes;
        segment.close();
        Files.deleteIfExists(segment.path);
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Syncs every segment written since the last force; segments no longer active are released. */
  public void force() throws IOException {
    checkOpen();
    Segment active = segments.isEmpty() ? null : segments.lastEntry().getValue();
    for (var it = unsynced.iterator(); it.hasNext(); ) {
      Segment segment = it.next();
      segment.writeChannel().force(false);
      it.remove();
      if (segment != active) {
        segment.close();
      }
    }
  }

  /** Visits every valid record in id order, one segment window at a time. */
  public void scan(RecordVisitor visitor) throws IOException {
    checkOpen();
    for (Segment segment : segments.values()) {
      segment.walk(SegmentFormat.HEADER_BYTES, record -> {
        visitor.visit(record);
        return true;
      });
    }
  }

  /**
   * Up to {@code maxRecords} records with an id of at least {@code fromId}, in order, whose bodies
   * add up to at most {@code maxBytes}, except that the first record is returned whatever its
   * size, so a reader always makes progress. Empty when no such record exists.
   */
  public List<LogRecord> read(long fromId, int maxRecords, long maxBytes) throws IOException {
    checkOpen();
    if (maxRecords < 1 || maxBytes < 0) {
      throw new IllegalArgumentException("maxRecords must be positive and maxBytes not negative");
    }
    List<LogRecord> found = new ArrayList<>();
    long[] bodyBytes = {0};
    Long startKey = segments.floorKey(fromId);
    NavigableMap<Long, Segment> from = startKey == null ? segments : segments.tailMap(startKey, true);
    for (Segment segment : from.values()) {
      long start = segment.index.startPositionFor(fromId);
      boolean more = segment.walk(start, record -> {
        if (record.id() < fromId) {
          return true;
        }
        if (!found.isEmpty() && bodyBytes[0] + record.body().length > maxBytes) {
          return false;
        }
        found.add(record);
        bodyBytes[0] += record.body().length;
        return found.size() < maxRecords;
      });
      if (!more) {
        break;
      }
    }
    return found;
  }

  /**
   * Deletes the oldest segments whose records all have ids below {@code id}, never the active
   * (last) one. Returns how many were deleted.
   */
  public int deleteSegmentsBelow(long id) throws IOException {
    checkOpen();
    int deleted = 0;
    while (segments.size() > 1) {
      Map.Entry<Long, Segment> oldest = segments.firstEntry();
      long nextFirstId = segments.higherKey(oldest.getKey());
      if (oldest.getValue().highestPossibleId(nextFirstId) >= id) {
        break;
      }
      Segment segment = oldest.getValue();
      segment.close();
      Files.delete(segment.path);
      segments.remove(oldest.getKey());
      sizeBytes -= segment.sizeBytes;
      unsynced.remove(segment);
      deleted++;
      log.info("Deleted segment {} (ids {} to {}, {} bytes)", segment.path, segment.firstId, segment.lastId,
          segment.sizeBytes);
    }
    return deleted;
  }

  /** Bytes of every segment file: headers and whole records, as on disk. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** How many segments the log has; more than one means retention may find work. */
  int segmentCount() {
    return segments.size();
  }

  /** The last id of the oldest segment, or -1 when it has none. */
  long oldestSegmentLastId() {
    return segments.isEmpty() ? -1 : segments.firstEntry().getValue().lastId;
  }

  /**
   * A planner of what appending would add to {@link #sizeBytes()}, one record at a time and before
   * any is written: the record's bytes, plus a header when it would start a new segment (the same
   * rule {@link AppendBatch} follows).
   */
  SizePlan planSize() {
    Segment active = segments.isEmpty() ? null : segments.lastEntry().getValue();
    return new SizePlan(active == null ? -1 : active.sizeBytes, segmentBytes);
  }

  /** See {@link #planSize()}. */
  static final class SizePlan {
    private long tailBytes;
    private final long segmentBytes;

    private SizePlan(long tailBytes, long segmentBytes) {
      this.tailBytes = tailBytes;
      this.segmentBytes = segmentBytes;
    }

    /** The bytes {@code record} would add after those planned before it. */
    long costOf(LogRecord record) {
      int bytes = SegmentFormat.encodedBytes(record);
      return AppendBatch.startsNewSegment(tailBytes, bytes, segmentBytes)
          ? SegmentFormat.HEADER_BYTES + bytes : bytes;
    }

    /** Plans {@code record} in: later costs count from after it. */
    void add(LogRecord record) {
      int bytes = SegmentFormat.encodedBytes(record);
      tailBytes = AppendBatch.startsNewSegment(tailBytes, bytes, segmentBytes)
          ? SegmentFormat.HEADER_BYTES + bytes : tailBytes + bytes;
    }
  }

  /** The lowest id the log may hold (the first segment's name), or -1 when it has no segment. */
  public long firstId() {
    return segments.isEmpty() ? -1 : segments.firstKey();
  }

  /** The first id of the newest segment (the one appends go to), or -1 when it has no segment. */
  public long lastSegmentFirstId() {
    return segments.isEmpty() ? -1 : segments.lastKey();
  }

  /** The id of the last record appended, or -1 when the log is empty. */
  public long lastId() {
    return lastId;
  }

  /**
   * One entry per segment, oldest first. A segment's modification time is read from its file the
   * first time only; after that the log knows it, since it is the one that writes.
   */
  public List<SegmentInfo> segments() throws IOException {
    checkOpen();
    List<SegmentInfo> infos = new ArrayList<>();
    for (Segment segment : segments.values()) {
      infos.add(segment.info());
    }
    return infos;
  }

  /** Forces what is unsynced, then closes every file. Calling it again does nothing. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      force();
    } finally {
      closed = true;
      IOException failure = null;
      for (Segment segment : segments.values()) {
        try {
          segment.close();
        } catch (IOException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("log " + dir + " is closed");
    }
  }
}
