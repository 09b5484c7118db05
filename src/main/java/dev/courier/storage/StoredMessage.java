package dev.courier.storage;

import java.util.Map;

/**
 * A message as the log keeps it. {@code key} may be null; {@code headers} is never null (empty
 * when there are none); {@code base64} says {@code payload} is binary carried as base64 text.
 */
public record StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers,
    boolean base64, String payload) {

  public StoredMessage {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    if (payload == null) {
      throw new IllegalArgumentException("payload must not be null");
    }
  }
}
