package dev.courier.storage;

/**
 * A record body that does not decode: wrong type for what was asked, a length that runs past the
 * body, invalid UTF-8, bytes left over. The record passed its CRC, so this is a bug in whatever
 * wrote it (or a type this build does not know), never a torn write.
 */
public final class CorruptRecordException extends Exception {

  public CorruptRecordException(LogRecord record, String reason) {
    super("record " + record.id() + " (type " + record.type() + ", " + record.body().length
        + " bytes): " + reason);
  }
}
