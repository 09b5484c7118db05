package dev.courier.protocol;

import dev.courier.fuzz.Bytes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random frames of every type, as a well-behaved peer would send them (so that each survives a
 * round trip), and random JSON objects made of the field names the codec knows with values of any
 * JSON type (so that every field meets every wrong type).
 */
final class FrameGenerators {
  private static final String NAME_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  private static final String NAME_REST = NAME_FIRST + ".";
  static final List<String> TYPES = List.of("register", "publish", "ack", "credit", "stats", "history", "message",
      "ok", "error", "stats_reply", "history_reply", "nack", "touch", "redrive", "redrive_reply");
  /** Every key the codec reads, the reply fields inside messages included. */
  private static final List<String> FIELDS = List.of("type", "role", "topic", "group", "prefetch", "start",
      "client", "payload", "key", "headers", "encoding", "id", "n", "limit", "from", "after", "message", "code",
      "timestamp", "attempt", "messages", "next_id", "delay_ms", "deliver_at", "ttl_ms", "dedup_id", "max_deliveries",
      "dead_letter_topic", "duplicate", "moved");

  private FrameGenerators() {}

  static Frame frame(SplittableRandom r) {
    return switch (r.nextInt(15)) {
      case 0 -> register(r);
      case 1 -> publish(r);
      case 2 -> new Frame.Ack(r.nextLong());
      case 3 -> new Frame.Credit(r.nextLong(Long.MAX_VALUE));
      case 4 -> new Frame.Stats(maybe(r, name(r)), r.nextBoolean() ? Frame.Stats.NO_LIMIT : 1 + r.nextInt(1000));
      case 5 -> new Frame.History(name(r), r.nextBoolean() ? null : r.nextLong(Long.MAX_VALUE),
          r.nextInt(Frame.History.MAX_LIMIT + 1));
      case 6 -> message(r);
      case 7 -> ok(r);
      case 8 -> new Frame.Error(Bytes.text(r, 40), r.nextInt(4) == 0 ? null
          : ErrorCode.values()[r.nextInt(ErrorCode.values().length)]);
      case 9 -> historyReply(r);
      case 10 -> nack(r);
      case 11 -> new Frame.Touch(r.nextLong());
      case 12 -> redrive(r);
      case 13 -> new Frame.RedriveReply(r.nextLong(Long.MAX_VALUE));
      default -> new Frame.StatsReply(snapshot(r));
    };
  }

  /** Only the frames a client may send: what the broker's decoder accepts. */
  static Frame clientFrame(SplittableRandom r) {
    return switch (r.nextInt(9)) {
      case 0 -> register(r);
      case 1, 2 -> publish(r);
      case 3 -> new Frame.Ack(r.nextLong());
      case 4 -> new Frame.Credit(r.nextLong(Long.MAX_VALUE));
      case 5 -> nack(r);
      case 6 -> new Frame.Touch(r.nextLong());
      case 7 -> redrive(r);
      default -> new Frame.History(name(r), r.nextBoolean() ? null : r.nextLong(Long.MAX_VALUE), r.nextInt(1001));
    };
  }

  private static Frame.Register register(SplittableRandom r) {
    Frame.Role role = r.nextBoolean() ? Frame.Role.PRODUCER : Frame.Role.CONSUMER;
    if (r.nextBoolean()) {
      return new Frame.Register(role);
    }
    String topic = maybe(r, name(r));
    String group = maybe(r, name(r));
    Integer prefetch = r.nextBoolean() ? null : r.nextInt(Integer.MAX_VALUE);
    Frame.Start start = r.nextBoolean() ? null : Frame.Start.values()[r.nextInt(2)];
    String client = maybe(r, Bytes.text(r, 20));
    boolean consumer = role == Frame.Role.CONSUMER;
    Integer maxDeliveries = consumer && r.nextBoolean() ? r.nextInt(Integer.MAX_VALUE) : null;
    String deadLetterTopic = consumer ? maybe(r, name(r)) : null;
    Frame.Ordering ordering = consumer && r.nextBoolean() ? Frame.Ordering.values()[r.nextInt(3)] : null;
    boolean extended = topic != null || group != null || prefetch != null || start != null || client != null
        || maxDeliveries != null || deadLetterTopic != null || ordering != null;
    return new Frame.Register(role, topic, group, prefetch, start, client, extended, null, null, maxDeliveries,
        deadLetterTopic, ordering);
  }

  private static Frame.Ok ok(SplittableRandom r) {
    return r.nextBoolean() ? Frame.Ok.INSTANCE : new Frame.Ok(r.nextLong(Long.MAX_VALUE), r.nextBoolean());
  }

  private static Frame.Nack nack(SplittableRandom r) {
    return new Frame.Nack(r.nextLong(), r.nextBoolean() ? null : r.nextLong(Frame.Publish.MAX_DELAY_MS + 1));
  }

  private static Frame.Redrive redrive(SplittableRandom r) {
    return new Frame.Redrive(name(r), r.nextBoolean() ? null : 1 + r.nextInt(Integer.MAX_VALUE));
  }

  private static Frame.Publish publish(SplittableRandom r) {
    if (r.nextBoolean()) {
      return new Frame.Publish(Bytes.text(r, 120));
    }
    boolean binary = r.nextInt(3) == 0;
    String payload = binary ? Base64.getEncoder().encodeToString(Bytes.random(r, 60)) : Bytes.text(r, 120);
    Long delayMs = null;
    Long deliverAt = null;
    switch (r.nextInt(3)) {
      case 0 -> delayMs = r.nextLong(Frame.Publish.MAX_DELAY_MS + 1);
      case 1 -> deliverAt = r.nextLong(Frame.Publish.MAX_DELIVER_AT + 1);
      default -> { }
    }
    Long ttlMs = r.nextBoolean() ? null : 1 + r.nextLong(Frame.Publish.MAX_DELAY_MS);
    String dedupId = r.nextBoolean() ? null : "d" + Bytes.text(r, 30);
    return new Frame.Publish(payload, maybe(r, name(r)), maybe(r, Bytes.text(r, 20)), headers(r),
        binary ? Frame.Encoding.BASE64 : null, delayMs, deliverAt, ttlMs, dedupId);
  }

  private static Frame.Message message(SplittableRandom r) {
    if (r.nextBoolean()) {
      return new Frame.Message(r.nextLong(), Bytes.text(r, 120));
    }
    Frame.MessageDetails details = new Frame.MessageDetails(name(r), r.nextInt(), r.nextLong(),
        maybe(r, Bytes.text(r, 20)), headers(r), r.nextBoolean() ? Frame.Encoding.BASE64 : null,
        r.nextBoolean() ? null : r.nextBoolean());
    return new Frame.Message(r.nextLong(), Bytes.text(r, 120), details);
  }

  private static Frame.HistoryReply historyReply(SplittableRandom r) {
    List<Frame.HistoryMessage> messages = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      messages.add(new Frame.HistoryMessage(r.nextLong(Long.MAX_VALUE), Bytes.text(r, 40), r.nextLong(),
          maybe(r, Bytes.text(r, 10)), headers(r), r.nextBoolean() ? Frame.Encoding.BASE64 : null));
    }
    return new Frame.HistoryReply(name(r), messages, r.nextBoolean() ? null : r.nextLong(Long.MAX_VALUE));
  }

  /** String values only: the reply's reader turns numbers into whichever boxed type fits. */
  private static Map<String, Object> snapshot(SplittableRandom r) {
    Map<String, Object> snapshot = new LinkedHashMap<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      snapshot.put("f" + Bytes.text(r, 8), Bytes.text(r, 16));
    }
    return snapshot;
  }

  /** Null or non-empty: an empty map is not written, so it would come back as null. */
  private static Map<String, String> headers(SplittableRandom r) {
    if (r.nextBoolean()) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      headers.put(Bytes.text(r, 10), Bytes.text(r, 20));
    }
    return headers;
  }

  static String name(SplittableRandom r) {
    int length = r.nextInt(8) == 0 ? 1 + r.nextInt(128) : 1 + r.nextInt(12);
    StringBuilder name = new StringBuilder().append(NAME_FIRST.charAt(r.nextInt(NAME_FIRST.length())));
    while (name.length() < length) {
      name.append(NAME_REST.charAt(r.nextInt(NAME_REST.length())));
    }
    return name.toString();
  }

  private static <T> T maybe(SplittableRandom r, T value) {
    return r.nextBoolean() ? value : null;
  }

  /** A JSON object with a type (mostly a known one) and known fields holding values of any JSON type. */
  static String jsonObject(SplittableRandom r) {
    StringBuilder json = new StringBuilder("{");
    if (r.nextInt(10) > 0) {
      json.append("\"type\":").append(r.nextInt(8) > 0 ? quote(TYPES.get(r.nextInt(TYPES.size()))) : value(r, 1));
    }
    List<String> keys = new ArrayList<>(FIELDS.subList(1, FIELDS.size()));
    for (int i = r.nextInt(6); i > 0 && !keys.isEmpty(); i--) {
      String key = r.nextInt(6) == 0 ? Bytes.text(r, 6) : keys.remove(r.nextInt(keys.size()));
      json.append(json.length() > 1 ? "," : "").append(quote(key)).append(':').append(value(r, 0));
    }
    return json.append('}').toString();
  }

  private static String value(SplittableRandom r, int depth) {
    int kinds = depth > 3 ? 8 : 11;
    return switch (r.nextInt(kinds)) {
      case 0 -> "null";
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> Long.toString(r.nextInt(2000) - 1000);
      case 3 -> Long.toString(r.nextLong());
      case 4 -> hugeInteger(r);
      case 5 -> List.of("1.5", "-0.0", "1e999999", "2.5e-400", "1E2", "0.1e1", "123456789012345678901234567890.5")
          .get(r.nextInt(7));
      case 6 -> quote(r.nextBoolean() ? name(r) : Bytes.text(r, 30));
      case 7 -> quote(List.of("producer", "consumer", "earliest", "latest", "base64", "", "AAAA", "!!")
          .get(r.nextInt(8)));
      case 8 -> array(r, depth);
      default -> object(r, depth);
    };
  }

  static String hugeInteger(SplittableRandom r) {
    StringBuilder digits = new StringBuilder(r.nextBoolean() ? "-" : "").append(1 + r.nextInt(9));
    for (int i = r.nextInt(r.nextInt(4) == 0 ? 1200 : 30); i > 0; i--) {
      digits.append(r.nextInt(10));
    }
    return digits.toString();
  }

  private static String array(SplittableRandom r, int depth) {
    StringBuilder json = new StringBuilder("[");
    for (int i = r.nextInt(4); i > 0; i--) {
      json.append(json.length() > 1 ? "," : "").append(r.nextInt(3) == 0 ? object(r, depth + 1) : value(r, depth + 1));
    }
    return json.append(']').toString();
  }

  private static String object(SplittableRandom r, int depth) {
    StringBuilder json = new StringBuilder("{");
    List<String> keys = new ArrayList<>(FIELDS);
    for (int i = r.nextInt(5); i > 0; i--) {
      json.append(json.length() > 1 ? "," : "").append(quote(keys.remove(r.nextInt(keys.size()))))
          .append(':').append(value(r, depth + 1));
    }
    return json.append('}').toString();
  }

  /** A JSON string literal of {@code text}, escaped as any encoder would. */
  static String quote(String text) {
    StringBuilder json = new StringBuilder("\"");
    text.chars().forEach(c -> {
      if (c == '"' || c == '\\') {
        json.append('\\').append((char) c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", c));
      } else {
        json.append((char) c);
      }
    });
    return json.append('"').toString();
  }
}
