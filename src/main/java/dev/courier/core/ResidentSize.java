package dev.courier.core;

import java.util.Map;

/**
 * What a retained message is estimated to cost on the heap while it is resident: what a topic's
 * {@code topic_memory_bytes} budget counts, at publish, at a read-back and at a restart alike.
 * An estimate from the object layout of a 64-bit JVM with compressed pointers (12-byte object
 * headers, 8-byte alignment), checked against the heap in use with {@code ResidentCostDriver}
 * (docs/FOOTPRINT.md, "budget"). Text is counted at one byte per character, as the JVM stores
 * Latin-1 strings; a payload with other characters costs up to twice its estimate.
 */
public final class ResidentSize {
  /**
   * One message apart from its text: the {@link Message} record (56 bytes), its
   * {@link RetainedMessages.Stored} slot (32) and the ring's reference to it (4, up to 8 while the
   * ring is half empty after growing), the payload's String (24) and its byte array's header (16).
   */
  static final int MESSAGE_BYTES = 136;
  /** A key or header String and its byte array's header, before the characters. */
  static final int STRING_BYTES = 40;
  /**
   * The headers apart from their entries: the unmodifiable view (32), its LinkedHashMap (56) and
   * that map's table (32 for up to 3 headers); the driver measured 152 with two headers, so that.
   */
  static final int HEADERS_BYTES = 152;
  /** One header's LinkedHashMap entry. */
  static final int HEADER_ENTRY_BYTES = 40;

  private ResidentSize() {
  }

  /** The estimated heap bytes of this message while resident. */
  public static long of(Message message) {
    return of(message.payload(), message.key(), message.headers());
  }

  static long of(String payload, String key, Map<String, String> headers) {
    long size = MESSAGE_BYTES + align(payload.length());
    if (key != null) {
      size += STRING_BYTES + align(key.length());
    }
    if (headers != null) {
      size += HEADERS_BYTES;
      for (Map.Entry<String, String> header : headers.entrySet()) {
        size += HEADER_ENTRY_BYTES + STRING_BYTES + align(header.getKey().length())
            + STRING_BYTES + align(header.getValue().length());
      }
    }
    return size;
  }

  /** Array contents are padded to the 8-byte object alignment. */
  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
