package dev.courier.core;

import java.util.Map;

/**
 * What a producer asks the broker to publish; {@code topic} null means the producer's default.
 * {@code dedupId} (may be null): a second publish with it on the topic within the broker's dedup
 * window is answered with the first one's id instead of being stored again. {@code ttlMillis} (0:
 * none): not acked by a group within this of its publish, it is never delivered to that group again.
 * {@code delayMillis} (0: none) or {@code deliverAtMillis} (epoch ms, 0: none), never both: not
 * delivered to any group before then (see {@link DelayedMessages}); the core turns either into a
 * due time when it admits the publish.
 */
public record Publication(String topic, String payload, String key, Map<String, String> headers, boolean base64,
    String dedupId, long ttlMillis, long delayMillis, long deliverAtMillis) {
  public Publication(String topic, String payload, String key, Map<String, String> headers, boolean base64,
      String dedupId, long ttlMillis) {
    this(topic, payload, key, headers, base64, dedupId, ttlMillis, 0, 0);
  }

  public Publication(String topic, String payload, String key, Map<String, String> headers, boolean base64) {
    this(topic, payload, key, headers, base64, null, 0);
  }

  public Publication(String topic, String payload, String key, Map<String, String> headers, boolean base64,
      String dedupId) {
    this(topic, payload, key, headers, base64, dedupId, 0);
  }

  /** Whether it asks for a delay: then its producer learns its id, as for every life-cycle field. */
  public boolean isDelayed() {
    return delayMillis > 0 || deliverAtMillis > 0;
  }

  public static Publication of(String topic, String payload) {
    return new Publication(topic, payload, null, null, false);
  }
}
