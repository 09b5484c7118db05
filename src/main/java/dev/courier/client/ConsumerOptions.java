package dev.courier.client;

import io.vertx.core.json.JsonObject;

/**
 * How a consumer behaves: stop after {@code count} messages (0: never), ack each after
 * {@code ackDelayMs}, or not at all when {@code ack} is false (to play a failing consumer).
 */
public record ConsumerOptions(String host, int port, long count, long ackDelayMs, boolean ack) {

  public ConsumerOptions {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    if (ackDelayMs < 0) {
      throw new IllegalArgumentException("ack delay must not be negative, was " + ackDelayMs);
    }
  }

  /** From a verticle's {@code -conf}: host, port, count, ack_delay_ms, ack. */
  public static ConsumerOptions fromJson(JsonObject json) {
    return new ConsumerOptions(json.getString("host", "127.0.0.1"), json.getInteger("port", 8080),
        json.getLong("count", 0L), json.getLong("ack_delay_ms", 0L), json.getBoolean("ack", true));
  }
}
