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
 * {@code deliverAtMillis} (epoch ms, 0: none) is a delayed publish's due time: then the record is a
 * {@link RecordCodec#MESSAGE_DELAYED}.
 */
public record StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers,
    boolean base64, String payload, String dedupId, long ttlMillis, long deliverAtMillis) {

  public StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers, boolean base64,
      String payload, String dedupId, long ttlMillis) {
    this(id, timestampMillis, key, headers, base64, payload, dedupId, ttlMillis, 0);
  }

  public StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers, boolean base64,
      String payload) {
    this(id, timestampMillis, key, headers, base64, payload, null, 0);
  }

  public StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers, boolean base64,
      String payload, String dedupId) {
    this(id, timestampMillis, key, headers, base64, payload, dedupId, 0);
  }

  /** The same message under the id and timestamp the log gives it. */
  StoredMessage withId(long newId, long newTimestampMillis) {
    return new StoredMessage(newId, newTimestampMillis, key, headers, base64, payload, dedupId, ttlMillis,
        deliverAtMillis);
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
