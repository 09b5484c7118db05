package dev.courier.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch into runs, one per segment it touches, and encodes each run into one buffer so
 * it goes to disk in one write. A run starts a new segment when the current one would grow past
 * {@code segmentBytes}; a segment with no record yet takes the next record whatever its size, so
 * a record larger than a segment gets a segment of its own.
 */
final class AppendBatch {

  /** The records bound for one segment; {@code segment} is null for a segment yet to create. */
  static final class Run {
    final Segment segment;
    final long firstId;
    final long startPosition;
    final List<LogRecord> records = new ArrayList<>();
    int bytes;

    private Run(Segment segment, long firstId, long startPosition) {
      this.segment = segment;
      this.firstId = firstId;
      this.startPosition = startPosition;
    }

    ByteBuffer encode() {
      ByteBuffer buffer = ByteBuffer.allocate(bytes);
      records.forEach(record -> SegmentFormat.encode(record, buffer));
      return buffer.flip();
    }
  }

  private AppendBatch() {
  }

  /** The runs for {@code records}, appended after {@code active} (null for an empty log). */
  static List<Run> plan(List<LogRecord> records, Segment active, long segmentBytes) {
    List<Run> runs = new ArrayList<>();
    Run run = active == null ? null : new Run(active, active.firstId, active.sizeBytes);
    for (LogRecord record : records) {
      int bytes = SegmentFormat.encodedBytes(record);
      if (startsNewSegment(run == null ? -1 : run.startPosition + run.bytes, bytes, segmentBytes)) {
        run = new Run(null, record.id(), SegmentFormat.HEADER_BYTES);
      }
      if (run.records.isEmpty()) {
        runs.add(run);
      }
      run.records.add(record);
      run.bytes += bytes;
    }
    return runs;
  }

  /**
   * Whether a record of {@code bytes} goes to a new segment, after a tail segment of
   * {@code tailBytes} (-1: there is none). A segment holding only its header takes any record.
   */
  static boolean startsNewSegment(long tailBytes, int bytes, long segmentBytes) {
    return tailBytes < 0 || tailBytes > SegmentFormat.HEADER_BYTES && tailBytes + bytes > segmentBytes;
  }

  /** Checks the whole batch before a byte is written: ids strictly increasing, sizes sane. */
  static void validate(List<LogRecord> records, long lastId) {
    long previous = lastId;
    String previousIs = "the last id in the log";
    for (LogRecord record : records) {
      if (record.id() <= previous) {
        throw new IllegalArgumentException("record id " + record.id() + " must be greater than "
            + previous + ", " + previousIs);
      }
      previousIs = "the id before it in the batch";
      if (record.body().length > SegmentFormat.MAX_RECORD_LENGTH - SegmentFormat.RECORD_FIXED_BYTES) {
        throw new IllegalArgumentException("record " + record.id() + " has a body of "
            + record.body().length + " bytes, above the limit of " + SegmentFormat.MAX_RECORD_LENGTH);
      }
      previous = record.id();
    }
  }
}
