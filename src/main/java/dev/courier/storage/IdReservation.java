package dev.courier.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * What a topic's message log must never forget, even when its newest segment file is lost: an
 * upper bound on every id it ever used, and the first id of the newest segment it created. Kept in
 * {@code <topic>/ids}, rewritten atomically (temporary file, force, rename, directory force).
 *
 * <pre>
 *   "CRID" | u16 version (1) | u32 CRC32C of the body | body:
 *     u64 reservedBelow   every id ever written to the log is below this
 *     u64 newestSegment   first id of the newest segment file created, 0 if none
 *     u64 continueFrom    the log's next id is at least this (set when a lost tail was skipped)
 *     u64 skippedFrom     ids skippedFrom..continueFrom-1 were skipped then (reported once)
 * </pre>
 *
 * <p>The bound is written ahead in steps of {@link #STEP} ids before a batch that would pass it,
 * so it costs one small atomic write per million messages. The newest segment is recorded after
 * the append that created it, before its messages are confirmed. At recovery, a log whose newest
 * segment starts below the recorded one has lost its tail: ids then continue from the bound, so
 * that no id is ever given to two different messages. A log whose tail is there continues right
 * after its last id, as it always did.
 */
final class IdReservation {
  static final String FILE_NAME = "ids";
  /** Large, so that the write is rare; ids are 64-bit, so skipping up to this many costs nothing. */
  static final long STEP = 1_000_000;
  private static final int MAGIC = 0x43524944; // "CRID"
  private static final short VERSION = 1;
  private static final int HEADER_BYTES = 10;
  private static final int BODY_BYTES = 32;

  private final Path dir;
  /** False when the topic predates this file (or has none yet): nothing is known beyond the log. */
  private boolean known;
  private long reservedBelow;
  private long newestSegment;
  private long continueFrom;
  private long skippedFrom;

  private IdReservation(Path dir, boolean known, long reservedBelow, long newestSegment, long continueFrom,
      long skippedFrom) {
    this.dir = dir;
    this.known = known;
    this.reservedBelow = reservedBelow;
    this.newestSegment = newestSegment;
    this.continueFrom = continueFrom;
    this.skippedFrom = skippedFrom;
  }

  /** The reservation in {@code dir}; an unknown one if there is no file yet. */
  static IdReservation read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    byte[] bytes = AtomicFile.readIfPresent(file);
    if (bytes == null) {
      return new IdReservation(dir, false, 0, 0, 0, 0);
    }
    if (bytes.length != HEADER_BYTES + BODY_BYTES) {
      throw damaged(file, "has " + bytes.length + " bytes instead of " + (HEADER_BYTES + BODY_BYTES));
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.getInt() != MAGIC) {
      throw damaged(file, "is not an id reservation file (bad magic)");
    }
    short version = buffer.getShort();
    if (version > VERSION) {
      throw new DamagedFileException(file, "has format version " + version + "; this build reads up to " + VERSION,
          "Run a newer Courier");
    }
    int crc = buffer.getInt();
    CRC32C check = new CRC32C();
    check.update(bytes, HEADER_BYTES, BODY_BYTES);
    if (version < VERSION || (int) check.getValue() != crc) {
      throw damaged(file, version < VERSION ? "has an unknown format version " + version : "fails its CRC32C check");
    }
    return new IdReservation(dir, true, buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
  }

  private static DamagedFileException damaged(Path file, String problem) {
    return new DamagedFileException(file, problem, "The broker does not start on it. To start anyway, move it away"
        + " (e.g. mv " + file.toAbsolutePath() + " " + file.toAbsolutePath() + ".damaged): ids of topic "
        + file.getParent().getFileName() + " then continue after the last message in its log, which reuses ids"
        + " only if the newest segment file of that log was lost too");
  }

  boolean isKnown() {
    return known;
  }

  long reservedBelow() {
    return reservedBelow;
  }

  long newestSegment() {
    return newestSegment;
  }

  /**
   * The id the log continues with, given what recovery found: right after its last id while its
   * newest recorded segment is there, else past every id it may have used.
   */
  long nextId(long logNextId, long newestSegmentOnDisk) {
    long next = Math.max(logNextId, continueFrom);
    return tailLost(newestSegmentOnDisk) ? Math.max(next, reservedBelow) : next;
  }

  /** True when the newest segment this log created is gone (deleted, or unreadable). */
  boolean tailLost(long newestSegmentOnDisk) {
    return known && newestSegment > 0 && newestSegmentOnDisk < newestSegment;
  }

  /** Before a batch whose last id is {@code lastId} is written: makes sure the bound covers it. */
  void reserveThrough(long lastId) throws IOException {
    if (!known || lastId >= reservedBelow) {
      write(lastId + 1 + STEP, newestSegment, continueFrom, skippedFrom);
    }
  }

  /** After an append: records a newly created newest segment (best effort; the caller logs a failure). */
  void recordNewestSegment(long firstId) throws IOException {
    if (firstId > newestSegment) {
      write(Math.max(reservedBelow, 1), firstId, continueFrom, skippedFrom);
    }
  }

  /**
   * At recovery, once a lost tail was reported: the log as it now is becomes the reference, and
   * it continues at {@code nextId} at least, appends or not, the ids from {@code logNextId} on
   * being skipped.
   */
  void skipLostTail(long logNextId, long nextId, long newestSegmentOnDisk) throws IOException {
    write(Math.max(reservedBelow, nextId), newestSegmentOnDisk, nextId, logNextId);
  }

  /** True when these ids are the ones a lost tail made the log skip: reported when it happened. */
  boolean wasSkipped(RecoveryReport.MissingIds missing) {
    return known && missing.firstId() >= skippedFrom && missing.lastId() < continueFrom;
  }

  private void write(long newReservedBelow, long newNewestSegment, long newContinueFrom, long newSkippedFrom)
      throws IOException {
    ByteBuffer body = ByteBuffer.allocate(BODY_BYTES).putLong(newReservedBelow).putLong(newNewestSegment)
        .putLong(newContinueFrom).putLong(newSkippedFrom);
    CRC32C crc = new CRC32C();
    crc.update(body.array());
    ByteBuffer file = ByteBuffer.allocate(HEADER_BYTES + BODY_BYTES);
    file.putInt(MAGIC).putShort(VERSION).putInt((int) crc.getValue()).put(body.array()).flip();
    AtomicFile.write(dir.resolve(FILE_NAME), file);
    known = true;
    reservedBelow = newReservedBelow;
    newestSegment = newNewestSegment;
    continueFrom = newContinueFrom;
    skippedFrom = newSkippedFrom;
  }
}
