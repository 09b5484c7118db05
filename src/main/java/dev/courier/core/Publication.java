package dev.courier.core;

import java.util.Map;

/** What a producer asks the broker to publish; {@code topic} null means the producer's default. */
public record Publication(String topic, String payload, String key, Map<String, String> headers, boolean base64) {
  public static Publication of(String topic, String payload) {
    return new Publication(topic, payload, null, null, false);
  }
}
