package dev.courier.protocol;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The rules of the message life cycle's frames and fields (docs/PROTOCOL.md, "Message life
 * cycle"): nack, touch, redrive and their replies, and the optional fields of publish, register
 * and ok. A JSON null reads as absent, as serde reads an {@code Option}; any other value out of
 * range is bad_request, never clamped, since a wrong delay silently taken is a lost schedule.
 */
final class LifecycleFields {
  private LifecycleFields() {}

  static Frame.Publish publish(String payload, String topic, String key, Map<String, String> headers,
      Frame.Encoding encoding, FrameCodec.Fields f) throws FrameException {
    Long delayMs = optionalRange(f.delayMs, "publish", "delay_ms", 0, Frame.Publish.MAX_DELAY_MS);
    Long deliverAt = optionalRange(f.deliverAt, "publish", "deliver_at", 0, Frame.Publish.MAX_DELIVER_AT);
    if (delayMs != null && deliverAt != null) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          "publish takes \"delay_ms\" or \"deliver_at\", not both: they would disagree on when");
    }
    Long ttlMs = optionalRange(f.ttlMs, "publish", "ttl_ms", 1, Frame.Publish.MAX_DELAY_MS);
    return new Frame.Publish(payload, topic, key, headers, encoding, delayMs, deliverAt, ttlMs, dedupId(f));
  }

  private static String dedupId(FrameCodec.Fields f) throws FrameException {
    String dedupId = FrameFields.optionalString(f.dedupId, "publish", "dedup_id");
    if (dedupId == null) {
      return null;
    }
    int bytes = dedupId.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > Frame.Publish.MAX_DEDUP_ID_BYTES) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "publish \"dedup_id\" must be 1 to "
          + Frame.Publish.MAX_DEDUP_ID_BYTES + " bytes of UTF-8, got " + bytes);
    }
    return dedupId;
  }

  static Integer maxDeliveries(FrameCodec.Fields f, Frame.Role role) throws FrameException {
    Long n = optionalRange(f.maxDeliveries, "register", "max_deliveries", 0, Integer.MAX_VALUE);
    if (n != null) {
      requireConsumer(role, "max_deliveries");
    }
    return n == null ? null : n.intValue();
  }

  static String deadLetterTopic(FrameCodec.Fields f, Frame.Role role) throws FrameException {
    String topic = FrameFields.optionalName(f.deadLetterTopic, "dead_letter_topic");
    if (topic != null) {
      requireConsumer(role, "dead_letter_topic");
    }
    return topic;
  }

  /** What a group the register creates promises; an existing group must have the same (group_conflict). */
  static Frame.Ordering ordering(FrameCodec.Fields f, Frame.Role role) throws FrameException {
    if (f.ordering == null || f.ordering.isNull()) {
      return null;
    }
    Frame.Ordering ordering = Frame.Ordering.fromWire(f.ordering.text());
    if (ordering == null) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "register \"ordering\" must be \"none\", \"key\" or \"single\"");
    }
    requireConsumer(role, "ordering");
    return ordering;
  }

  /** These describe the group a consumer creates; on a producer they would be ignored, so they are refused. */
  private static void requireConsumer(Frame.Role role, String name) throws FrameException {
    if (role != Frame.Role.CONSUMER) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          "register \"" + name + "\" describes a consumer group; a producer may not send it");
    }
  }

  static Frame.Nack nack(FrameCodec.Fields f) throws FrameException {
    long id = FrameFields.requireId(f, "nack");
    return new Frame.Nack(id, optionalRange(f.delayMs, "nack", "delay_ms", 0, Frame.Publish.MAX_DELAY_MS));
  }

  static Frame.Redrive redrive(FrameCodec.Fields f) throws FrameException {
    String topic = FrameFields.optionalName(f.topic, "topic");
    if (topic == null) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "redrive needs a \"topic\": the dead-letter topic to empty");
    }
    Long limit = optionalRange(f.limit, "redrive", "limit", 1, Long.MAX_VALUE);
    // "Up to N": a limit beyond what an int counts moves everything, as no limit does.
    return new Frame.Redrive(topic, limit == null ? null : (int) Math.min(Integer.MAX_VALUE, limit));
  }

  /** The broker's side is read as strictly as a client's: a mistyped ok means a broken broker. */
  static Frame.Ok ok(FrameCodec.Fields f) throws FrameException {
    if (!f.hasId && (f.duplicate == null || f.duplicate.isNull())) {
      return Frame.Ok.INSTANCE;
    }
    Long id = null;
    if (f.hasId) {
      id = FrameFields.requireId(f, "ok");
    }
    boolean duplicate = false;
    if (f.duplicate != null && !f.duplicate.isNull()) {
      JsonToken token = f.duplicate.token();
      if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
        throw new FrameException(ErrorCode.BAD_REQUEST, "ok \"duplicate\" must be true or false");
      }
      duplicate = token == JsonToken.VALUE_TRUE;
    }
    return new Frame.Ok(id, duplicate);
  }

  private static Long optionalRange(FrameCodec.Field field, String type, String name, long min, long max)
      throws FrameException {
    if (field == null || field.isNull()) {
      return null;
    }
    // number() is Long.MIN_VALUE for anything that is not an integer fitting a long.
    if (field.token() != JsonToken.VALUE_NUMBER_INT || field.number() < min || field.number() > max) {
      throw new FrameException(ErrorCode.BAD_REQUEST,
          type + " \"" + name + "\" must be an integer from " + min + " to " + max);
    }
    return field.number();
  }
}
