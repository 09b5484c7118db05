package dev.courier.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A published message. Ids are assigned per topic, start at 1 and grow; a redelivery keeps the
 * id, so a consumer can tell a redelivery from a new message. {@code base64} says the payload is
 * binary, carried as base64 text; {@code key} and {@code headers} may be null. {@code expiresAtMillis}
 * (wall clock; 0: never) is its publish time plus its {@code ttl_ms}.
 */
public record Message(long id, String topic, String payload, String key, Map<String, String> headers,
    boolean base64, long timestampMillis, long expiresAtMillis) {

  /** A message that never expires. */
  public Message(long id, String topic, String payload, String key, Map<String, String> headers, boolean base64,
      long timestampMillis) {
    this(id, topic, payload, key, headers, base64, timestampMillis, 0);
  }

  /** Whether its {@code ttl_ms} has passed at {@code nowMillis}: it is never delivered again. */
  public boolean isExpired(long nowMillis) {
    return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
  }

  /** When a message stored at {@code timestampMillis} with this {@code ttl_ms} (0: none) expires; 0: never. */
  public static long expiry(long timestampMillis, long ttlMillis) {
    return ttlMillis <= 0 ? 0 : timestampMillis + ttlMillis;
  }

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
