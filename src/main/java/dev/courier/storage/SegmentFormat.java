package dev.courier.storage;

import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file, format version 1. All integers are big-endian.
 *
 * <pre>
 * segment  = header record*
 * header   (8 bytes)
 *   +--------+--------+--------+--------+--------+--------+--------+--------+
 *   |  'C'   |  'R'   |  'S'   |  'G'   |  version (u16)  |  reserved (u16) |
 *   +--------+--------+--------+--------+--------+--------+--------+--------+
 * record   (8 + length bytes)
 *   +-----------------+-----------------+------+----------+------------------+
 *   | length (u32)    | crc32c (u32)    | type | id (u64) | body             |
 *   +-----------------+-----------------+------+----------+------------------+
 *                                       |<--------- length bytes ---------->|
 *                                       |<-------- covered by crc --------->|
 * </pre>
 *
 * <p>{@code length} counts type, id and body, so it is at least {@value #RECORD_FIXED_BYTES}.
 * Reserved must be written as zero and is ignored on read. See {@link SegmentedLog} for the rule
 * that governs a version 2.
 */
final class SegmentFormat {

  static final int MAGIC = 0x43525347; // "CRSG"
  static final short VERSION_1 = 1;
  /** The version this code writes; readers accept every version up to and including it. */
  static final short CURRENT_VERSION = VERSION_1;
  static final int HEADER_BYTES = 8;
  /** The u32 length and u32 crc in front of every record. */
  static final int RECORD_PREFIX_BYTES = 8;
  /** Type byte and u64 id, counted by {@code length}. */
  static final int RECORD_FIXED_BYTES = 9;
  /**
   * The largest {@code length} a reader believes. Messages are bounded by the frame limit (far
   * below this); a larger value on disk is damage, and trusting it would allocate that much.
   */
  static final int MAX_RECORD_LENGTH = 64 * 1024 * 1024;

  static final String EXTENSION = ".seg";
  private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

  private SegmentFormat() {
  }

  static String fileName(long firstId) {
    return String.format("%020d%s", firstId, EXTENSION);
  }

  /** The first id a segment file is named after, or -1 if the name is not a segment name. */
  static long firstIdOf(String fileName) {
    Matcher matcher = NAME.matcher(fileName);
    if (!matcher.matches()) {
      return -1;
    }
    try {
      return Long.parseLong(matcher.group(1));
    } catch (NumberFormatException tooBig) {
      return -1;
    }
  }

  static ByteBuffer header() {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putInt(MAGIC).putShort(CURRENT_VERSION).putShort((short) 0).flip();
    return header;
  }

  /** Bytes the record takes on disk, prefix included. */
  static int encodedBytes(LogRecord record) {
    return RECORD_PREFIX_BYTES + RECORD_FIXED_BYTES + record.body().length;
  }

  static void encode(LogRecord record, ByteBuffer out) {
    int start = out.position();
    out.putInt(RECORD_FIXED_BYTES + record.body().length);
    out.putInt(0); // crc, filled in below once the covered bytes are in place
    out.put(record.type()).putLong(record.id()).put(record.body());
    int covered = start + RECORD_PREFIX_BYTES;
    out.putInt(start + 4, crc(out, covered, out.position() - covered));
  }

  static int crc(ByteBuffer buffer, int offset, int length) {
    CRC32C crc = new CRC32C();
    if (buffer.hasArray()) {
      // Straight from the array: a duplicate view per record was garbage on the write path.
      crc.update(buffer.array(), buffer.arrayOffset() + offset, length);
    } else {
      crc.update(buffer.duplicate().limit(offset + length).position(offset));
    }
    return (int) crc.getValue();
  }
}
