package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a producer sends: the given {@code messages}, or else {@code count} generated payloads of
 * {@code size} bytes; at most {@code window} unconfirmed at a time, and at most
 * {@code ratePerSecond} a second when positive. {@code topic} null means the broker's default topic,
 * and the producer then registers with the seed's frame exactly. {@code tls} says how to reach a
 * broker port that speaks TLS, {@code credentials} who to register as, {@code lifecycle} the delay,
 * TTL and dedup id of every publish.
 */
public record ProducerOptions(String host, int port, String topic, List<String> messages, long count, int size,
    double ratePerSecond, int window, ClientTls tls, Credentials credentials, PublishLifecycle lifecycle) {

  /** The seed's producer sends these five when told nothing else. */
  public static final List<String> SEED_MESSAGES = List.of("task-0", "task-1", "task-2", "task-3", "task-4");

  public ProducerOptions {
    messages = List.copyOf(messages);
    tls = tls == null ? ClientTls.OFF : tls;
    credentials = credentials == null ? Credentials.NONE : credentials;
    lifecycle = lifecycle == null ? PublishLifecycle.NONE : lifecycle;
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, was " + window);
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1, was " + size);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    lifecycle.checkFits(messages.isEmpty() ? count : messages.size());
  }

  /** Publishes without life cycle fields. */
  public ProducerOptions(String host, int port, String topic, List<String> messages, long count, int size,
      double ratePerSecond, int window, ClientTls tls, Credentials credentials) {
    this(host, port, topic, messages, count, size, ratePerSecond, window, tls, credentials, PublishLifecycle.NONE);
  }

  /** Without credentials: anonymous, as the seed's producer. */
  public ProducerOptions(String host, int port, String topic, List<String> messages, long count, int size,
      double ratePerSecond, int window, ClientTls tls) {
    this(host, port, topic, messages, count, size, ratePerSecond, window, tls, Credentials.NONE);
  }

  /** Over plain TCP. */
  public ProducerOptions(String host, int port, String topic, List<String> messages, long count, int size,
      double ratePerSecond, int window) {
    this(host, port, topic, messages, count, size, ratePerSecond, window, ClientTls.OFF);
  }

  /** The register frame: the seed's when no topic is named, with the credentials if any. */
  public Frame.Register register() {
    return credentials.apply(topic == null ? new Frame.Register(Frame.Role.PRODUCER)
        : new Frame.Register(Frame.Role.PRODUCER, topic, null, null, null, null, true));
  }

  public long total() {
    return messages.isEmpty() ? count : messages.size();
  }

  /** The publish frame of message {@code index}. */
  public Frame.Publish publish(long index) {
    return lifecycle.publish(payload(index), index, total());
  }

  public String payload(long index) {
    if (!messages.isEmpty()) {
      return messages.get((int) index);
    }
    StringBuilder payload = new StringBuilder(size).append("msg-").append(index).append('-');
    while (payload.length() < size) {
      payload.append('x');
    }
    payload.setLength(size);
    return payload.toString();
  }

  /**
   * From a verticle's {@code -conf}: host, port, topic, messages, count, size, rate, window,
   * delay_ms, ttl_ms, dedup_id, {@link ClientTls#fromJson} and {@link Credentials#fromJson}.
   */
  public static ProducerOptions fromJson(JsonObject json) {
    JsonArray given = json.getJsonArray("messages");
    long count = json.getLong("count", 0L);
    List<String> messages = given != null
        ? given.stream().map(String::valueOf).toList()
        : count == 0 ? SEED_MESSAGES : List.of();
    return new ProducerOptions(json.getString("host", "127.0.0.1"), json.getInteger("port", 8080),
        json.getString("topic"), messages,
        count, json.getInteger("size", 100), json.getDouble("rate", 0.0), json.getInteger("window", 1000),
        ClientTls.fromJson(json), Credentials.fromJson(json),
        new PublishLifecycle(json.getLong("delay_ms"), json.getLong("ttl_ms"), json.getString("dedup_id")));
  }
}
