package dev.courier.storage;

import static dev.courier.storage.SegmentFormat.MAX_RECORD_LENGTH;
import static dev.courier.storage.SegmentFormat.RECORD_FIXED_BYTES;
import static dev.courier.storage.SegmentFormat.RECORD_PREFIX_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the records of one segment from a file position up to an end position, through a fixed
 * window so a scan never holds more than one window (or one record, if larger) in memory. It
 * checks every length and CRC and says what it found; deciding what a damaged record means
 * (skip, truncate, stop) is the caller's business, because it depends on where the record lies.
 */
final class SegmentReader {

  /** What lies at a position. */
  enum Kind {
    /** A whole record whose CRC matches. */
    VALID,
    /** A record whose length is plausible but whose CRC does not match; the next one follows it. */
    BAD_CRC,
    /** Fewer bytes left than the prefix or the length needs: a torn write. Nothing follows. */
    SHORT,
    /** A length that cannot be right (too small or too large); we cannot find the next record. */
    BAD_LENGTH
  }

  /**
   * One step of the walk. {@code record} is set for VALID, and for BAD_CRC holds the unverified
   * id and type as read. {@code bytes} is the span on disk (for SHORT: the bytes left).
   */
  record Entry(Kind kind, long position, long bytes, LogRecord record) {
    long end() {
      return position + bytes;
    }
  }

  /** Enough for many small records per read call, small enough to allocate per scan. */
  private static final int WINDOW_BYTES = 64 * 1024;

  private final FileChannel channel;
  private final long end;
  private ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES).flip();
  /** File position of {@code window.position()}. */
  private long position;
  private boolean stopped;

  SegmentReader(FileChannel channel, long startPosition, long endPosition) {
    this.channel = channel;
    this.position = startPosition;
    this.end = endPosition;
  }

  /** The next entry, or null at the end (or after a SHORT or BAD_LENGTH entry). */
  Entry next() throws IOException {
    if (stopped || position >= end) {
      return null;
    }
    long at = position;
    if (!fill(RECORD_PREFIX_BYTES + RECORD_FIXED_BYTES)) {
      return stop(new Entry(Kind.SHORT, at, end - at, null));
    }
    int length = window.getInt(window.position());
    if (length < RECORD_FIXED_BYTES) {
      return stop(new Entry(Kind.BAD_LENGTH, at, end - at, null));
    }
    if (length > end - at - RECORD_PREFIX_BYTES) {
      return stop(new Entry(Kind.SHORT, at, end - at, null));
    }
    if (length > MAX_RECORD_LENGTH) {
      return stop(new Entry(Kind.BAD_LENGTH, at, end - at, null));
    }
    if (!fill(RECORD_PREFIX_BYTES + length)) {
      return stop(new Entry(Kind.SHORT, at, end - at, null));
    }
    return decode(at, length);
  }

  private Entry decode(long at, int length) {
    int start = window.position();
    int storedCrc = window.getInt(start + 4);
    int actualCrc = SegmentFormat.crc(window, start + RECORD_PREFIX_BYTES, length);
    byte type = window.get(start + RECORD_PREFIX_BYTES);
    long id = window.getLong(start + RECORD_PREFIX_BYTES + 1);
    byte[] body = new byte[length - RECORD_FIXED_BYTES];
    window.get(start + RECORD_PREFIX_BYTES + RECORD_FIXED_BYTES, body);
    int bytes = RECORD_PREFIX_BYTES + length;
    window.position(start + bytes);
    position += bytes;
    Kind kind = storedCrc == actualCrc ? Kind.VALID : Kind.BAD_CRC;
    return new Entry(kind, at, bytes, new LogRecord(id, type, body));
  }

  private Entry stop(Entry entry) {
    stopped = true;
    return entry;
  }

  /** Makes {@code needed} bytes available in the window; false if the region ends first. */
  private boolean fill(int needed) throws IOException {
    if (window.remaining() >= needed) {
      return true;
    }
    if (end - position < needed) {
      return false;
    }
    if (window.capacity() < needed) {
      window = ByteBuffer.allocate(needed).put(window);
    } else {
      window.compact();
    }
    long readFrom = position + window.position();
    window.limit((int) Math.min(window.capacity(), window.position() + (end - readFrom)));
    while (window.position() < needed) {
      int read = channel.read(window, readFrom);
      if (read < 0) {
        window.flip();
        return false; // the file is shorter than we were told
      }
      readFrom += read;
    }
    window.flip();
    return true;
  }
}
