package dev.courier.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message as the log keeps it. {@code key} may be null; {@code headers} is never null (empty
 * when there are none) and keeps the producer's order; {@code base64} says {@code payload} is binary carried as base64 text.
 * {@code dedupId} (may be null) is the producer's dedup_id, {@code ttlMillis} its ttl_ms (0: none):
 * with either the record is a
 * {@link RecordCodec#MESSAGE_WITH_LIFECYCLE}, without it a seed {@link RecordCodec#MESSAGE}.
 */
public record StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers,
    boolean base64, String payload, String dedupId, long ttlMillis) {

  public StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers, boolean base64,
      String payload) {
    this(id, timestampMillis, key, headers, base64, payload, null, 0);
  }

  public StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers, boolean base64,
      String payload, String dedupId) {
    this(id, timestampMillis, key, headers, base64, payload, dedupId, 0);
  }

  /** Whether the record needs type 7: a seed message stays type 1, byte for byte. */
  boolean hasLifecycleFields() {
    return dedupId != null || ttlMillis != 0;
  }

  public StoredMessage {
    // Not Map.copyOf: its iteration order is unspecified, and headers keep the producer's order.
    headers = headers == null || headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    if (payload == null) {
      throw new IllegalArgumentException("payload must not be null");
    }
  }
}
