package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.json.JsonObject;

/**
 * How a consumer behaves: stop after {@code count} messages (0: never), ack each after
 * {@code ackDelayMs}, or not at all when {@code ack} is false (to play a failing consumer).
 * {@code tls} says how to reach a broker port that speaks TLS, {@code credentials} who to register as,
 * {@code nacks} which messages to give back instead of acking (after the same delay as an ack).
 */
public record ConsumerOptions(String host, int port, String topic, String group, Integer prefetch, boolean fromLatest,
    long count, long ackDelayMs, boolean ack, ClientTls tls, Credentials credentials, NackPlan nacks) {

  public ConsumerOptions {
    tls = tls == null ? ClientTls.OFF : tls;
    credentials = credentials == null ? Credentials.NONE : credentials;
    nacks = nacks == null ? NackPlan.NONE : nacks;
    if (!ack && nacks.every() > 0) {
      throw new IllegalArgumentException("a consumer that never acks cannot nack either");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    if (prefetch != null && prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
    }
    if (ackDelayMs < 0) {
      throw new IllegalArgumentException("ack delay must not be negative, was " + ackDelayMs);
    }
  }

  /** Acks every message it acks at all. */
  public ConsumerOptions(String host, int port, String topic, String group, Integer prefetch, boolean fromLatest,
      long count, long ackDelayMs, boolean ack, ClientTls tls, Credentials credentials) {
    this(host, port, topic, group, prefetch, fromLatest, count, ackDelayMs, ack, tls, credentials, NackPlan.NONE);
  }

  /** Without credentials: anonymous, as the seed's consumer. */
  public ConsumerOptions(String host, int port, String topic, String group, Integer prefetch, boolean fromLatest,
      long count, long ackDelayMs, boolean ack, ClientTls tls) {
    this(host, port, topic, group, prefetch, fromLatest, count, ackDelayMs, ack, tls, Credentials.NONE);
  }

  /** Over plain TCP. */
  public ConsumerOptions(String host, int port, String topic, String group, Integer prefetch, boolean fromLatest,
      long count, long ackDelayMs, boolean ack) {
    this(host, port, topic, group, prefetch, fromLatest, count, ackDelayMs, ack, ClientTls.OFF);
  }

  /** The broker's default max_in_flight_per_consumer, the credit a consumer gets when it names none. */
  static final int BROKER_DEFAULT_PREFETCH = 256;

  /**
   * The credit to register with: as asked, but with {@code count} never more than the messages
   * still wanted, or the broker would deliver messages this consumer only gives back, each
   * redelivered later with a higher attempt. Null: the broker's cap.
   */
  public Integer initialCredit() {
    if (count == 0) {
      return prefetch;
    }
    return (int) Math.min(prefetch != null ? prefetch : BROKER_DEFAULT_PREFETCH, count);
  }

  /** The register frame: the seed's unless a topic, group, prefetch, count or start was asked for. */
  public Frame.Register register() {
    if (topic == null && group == null && initialCredit() == null && !fromLatest) {
      return credentials.apply(new Frame.Register(Frame.Role.CONSUMER));
    }
    return credentials.apply(new Frame.Register(Frame.Role.CONSUMER, topic, group, initialCredit(),
        fromLatest ? Frame.Start.LATEST : null, null, true));
  }

  /**
   * From a verticle's {@code -conf}: host, port, topic, group, prefetch, start, count, ack_delay_ms,
   * ack, nack_every, nack_delay_ms, {@link ClientTls#fromJson} and {@link Credentials#fromJson}.
   */
  public static ConsumerOptions fromJson(JsonObject json) {
    return new ConsumerOptions(json.getString("host", "127.0.0.1"), json.getInteger("port", 8080),
        json.getString("topic"), json.getString("group"), json.getInteger("prefetch"),
        "latest".equals(json.getString("start")),
        json.getLong("count", 0L), json.getLong("ack_delay_ms", 0L), json.getBoolean("ack", true),
        ClientTls.fromJson(json), Credentials.fromJson(json),
        new NackPlan(json.getLong("nack_every", 0L), json.getLong("nack_delay_ms")));
  }
}
