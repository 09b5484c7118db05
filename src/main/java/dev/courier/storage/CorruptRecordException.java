package dev.courier.storage;

/** A record whose CRC matched but whose body does not decode: a bug or a foreign file, reported. */
public final class CorruptRecordException extends RuntimeException {
  public CorruptRecordException(String message) {
    super(message);
  }
}
