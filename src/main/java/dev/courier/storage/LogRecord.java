package dev.courier.storage;

/**
 * One entry of a {@link SegmentedLog}: an id assigned by the caller (strictly increasing within a
 * log), a type byte that says how to read the body (see {@link RecordCodec}), and the body itself.
 * The log treats the body as opaque bytes.
 */
public record LogRecord(long id, byte type, byte[] body) {

  public LogRecord {
    if (body == null) {
      throw new IllegalArgumentException("body must not be null; use an empty array");
    }
  }
}
