package dev.courier.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A published message. Ids are assigned per topic, start at 1 and grow; a redelivery keeps the
 * id, so a consumer can tell a redelivery from a new message. {@code base64} says the payload is
 * binary, carried as base64 text; {@code key} and {@code headers} may be null.
 */
public record Message(long id, String topic, String payload, String key, Map<String, String> headers,
    boolean base64, long timestampMillis) {

  public Message {
    // Kept in the producer's order: consumers see the headers as they were sent.
    headers = headers == null || headers.isEmpty() ? null : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** What this message counts against its topic's {@code max_topic_bytes}. */
  public long sizeBytes() {
    return sizeBytes(payload, key, headers);
  }

  static long sizeBytes(String payload, String key, Map<String, String> headers) {
    long size = payload.length();
    if (key != null) {
      size += key.length();
    }
    if (headers != null) {
      for (Map.Entry<String, String> header : headers.entrySet()) {
        size += header.getKey().length() + header.getValue().length();
      }
    }
    return size;
  }
}
