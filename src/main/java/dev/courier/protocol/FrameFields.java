package dev.courier.protocol;

import com.fasterxml.jackson.core.JsonToken;
import dev.courier.core.Names;
import java.util.Set;

/**
 * Turns the fields read from a frame body into a {@link Frame}, checking each known field's type
 * and value. Kept apart from {@link FrameCodec} so that the rules of each frame read in one place.
 */
final class FrameFields {
  /** Types only the broker sends: from a client they are unknown_type, whatever their fields. */
  private static final Set<String> BROKER_TYPES = Set.of("message", "ok", "error", "stats_reply", "history_reply",
      "redrive_reply");

  private FrameFields() {}

  static Frame toFrame(FrameCodec.Fields f, byte[] body, FrameCodec.Accept accept) throws FrameException {
    if (f.type == null) {
      throw new FrameException(ErrorCode.UNKNOWN_TYPE,
          f.typeMistyped ? "frame \"type\" must be a string" : "frame has no \"type\" field");
    }
    if (accept == FrameCodec.Accept.FROM_CLIENTS && BROKER_TYPES.contains(f.type)) {
      // PROTOCOL.md: not a frame type a client may send. Checked before any field is looked at.
      throw new FrameException(ErrorCode.UNKNOWN_TYPE, "a client may not send " + f.type + " frames; only the broker does");
    }
    return switch (f.type) {
      case "register" -> register(f);
      case "publish" -> publish(f);
      case "ack" -> new Frame.Ack(requireId(f, "ack"));
      case "credit" -> new Frame.Credit(requireNonNegative(f.n, "credit", "n"));
      case "stats" -> stats(f);
      case "history" -> history(f);
      case "message" -> message(f);
      case "nack" -> LifecycleFields.nack(f);
      case "touch" -> new Frame.Touch(requireId(f, "touch"));
      case "redrive" -> LifecycleFields.redrive(f);
      case "ok" -> LifecycleFields.ok(f);
      case "redrive_reply" -> new Frame.RedriveReply(requireNonNegative(f.moved, "redrive_reply", "moved"));
      case "error" -> new Frame.Error(f.message == null ? "" : f.message, ErrorCode.fromWire(f.code));
      case "stats_reply" -> new Frame.StatsReply(FrameCodec.readSnapshot(body));
      case "history_reply" -> HistoryReplyFields.read(FrameCodec.readSnapshot(body));
      default -> throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type \"" + abbreviate(f.type) + "\"");
    };
  }

  private static Frame.Register register(FrameCodec.Fields f) throws FrameException {
    Frame.Role role = role(f);
    String topic = optionalName(f.topic, "topic");
    String group = optionalName(f.group, "group");
    Integer prefetch = null;
    if (f.prefetch != null) {
      prefetch = (int) Math.min(Integer.MAX_VALUE, requireNonNegative(f.prefetch, "register", "prefetch"));
    }
    Frame.Start start = null;
    if (f.start != null) {
      start = Frame.Start.fromWire(f.start.text());
      if (start == null) {
        throw new FrameException(ErrorCode.BAD_REQUEST, "register \"start\" must be \"earliest\" or \"latest\"");
      }
    }
    String client = optionalString(f.client, "register", "client");
    boolean extended = f.topic != null || f.group != null || f.prefetch != null || f.start != null
        || f.client != null;
    String user = optionalString(f.user, "register", "user");
    String password = optionalString(f.password, "register", "password");
    Integer maxDeliveries = LifecycleFields.maxDeliveries(f, role);
    String deadLetterTopic = LifecycleFields.deadLetterTopic(f, role);
    Frame.Ordering ordering = LifecycleFields.ordering(f, role);
    extended |= maxDeliveries != null || deadLetterTopic != null || ordering != null;
    return new Frame.Register(role, topic, group, prefetch, start, client, extended, user, password,
        maxDeliveries, deadLetterTopic, ordering);
  }

  private static Frame.Stats stats(FrameCodec.Fields f) throws FrameException {
    // The cursor is the last topic name of the previous page, so it obeys the name rule.
    String after = optionalName(f.after, "after");
    int limit = Frame.Stats.NO_LIMIT;
    if (f.limit != null) {
      long n = requireNonNegative(f.limit, "stats", "limit");
      if (n == 0) {
        throw new FrameException(ErrorCode.BAD_REQUEST, "stats \"limit\" must be at least 1");
      }
      limit = (int) Math.min(Frame.Stats.NO_LIMIT, n);
    }
    return new Frame.Stats(after, limit);
  }

  private static Frame.History history(FrameCodec.Fields f) throws FrameException {
    String topic = optionalName(f.topic, "topic");
    if (topic == null) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "history needs a \"topic\"");
    }
    int limit = Frame.History.DEFAULT_LIMIT;
    if (f.limit != null) {
      limit = (int) Math.min(Frame.History.MAX_LIMIT, requireNonNegative(f.limit, "history", "limit"));
    }
    Long from = f.from == null ? null : requireNonNegative(f.from, "history", "from");
    return new Frame.History(topic, from, limit);
  }

  private static Frame.Publish publish(FrameCodec.Fields f) throws FrameException {
    String payload = requirePayload(f, "publish");
    String topic = optionalName(f.topic, "topic");
    String key = optionalString(f.key, "publish", "key");
    if (f.headersMistyped) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "publish \"headers\" must be an object of string values");
    }
    Frame.Encoding encoding = encoding(f);
    if (encoding == Frame.Encoding.BASE64 && !FrameCodec.isBase64(payload)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "publish payload is not valid base64");
    }
    return LifecycleFields.publish(payload, topic, key, f.headers, encoding, f);
  }

  private static Frame.Message message(FrameCodec.Fields f) throws FrameException {
    long id = requireId(f, "message");
    String payload = requirePayload(f, "message");
    if (f.topic == null || f.topic.text() == null) {
      return new Frame.Message(id, payload);
    }
    Boolean active = null;
    if (f.active != null && !f.active.isNull()) {
      if (f.active.token() != JsonToken.VALUE_TRUE && f.active.token() != JsonToken.VALUE_FALSE) {
        throw new FrameException(ErrorCode.BAD_REQUEST, "message \"active\" must be true or false");
      }
      active = f.active.token() == JsonToken.VALUE_TRUE;
    }
    return new Frame.Message(id, payload, new Frame.MessageDetails(f.topic.text(), f.attempt, f.timestamp,
        f.key == null ? null : f.key.text(), f.headers, encoding(f), active));
  }

  private static Frame.Encoding encoding(FrameCodec.Fields f) throws FrameException {
    if (f.encoding == null || f.encoding.isNull()) {
      return null;
    }
    Frame.Encoding encoding = Frame.Encoding.fromWire(f.encoding.text());
    if (encoding == null) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "unknown \"encoding\"; the only one is \"base64\"");
    }
    return encoding;
  }

  private static Frame.Role role(FrameCodec.Fields f) throws FrameException {
    if (f.role == null) {
      throw new FrameException(ErrorCode.BAD_ROLE, "register needs a \"role\": \"producer\" or \"consumer\"");
    }
    Frame.Role role = Frame.Role.fromWire(f.role.text());
    if (role == null) {
      String given = f.role.text() == null ? "a non-string value" : "\"" + abbreviate(f.role.text()) + "\"";
      throw new FrameException(ErrorCode.BAD_ROLE,
          "unknown role " + given + ": expected \"producer\" or \"consumer\"");
    }
    return role;
  }

  static String optionalName(FrameCodec.Field field, String name) throws FrameException {
    if (field == null || field.isNull()) {
      return null;
    }
    String value = field.text();
    if (!Names.isValid(value)) {
      throw new FrameException(ErrorCode.INVALID_NAME, "\"" + name + "\" must be " + Names.DESCRIPTION
          + (value == null ? "" : ", got \"" + abbreviate(value) + "\""));
    }
    return value;
  }

  static String optionalString(FrameCodec.Field field, String type, String name) throws FrameException {
    if (field == null || field.isNull()) {
      return null;
    }
    if (field.text() == null) {
      throw new FrameException(ErrorCode.BAD_REQUEST, type + " \"" + name + "\" must be a string");
    }
    return field.text();
  }

  static long requireNonNegative(FrameCodec.Field field, String type, String name) throws FrameException {
    if (field == null || field.token() != JsonToken.VALUE_NUMBER_INT || field.number() < 0) {
      throw new FrameException(ErrorCode.BAD_REQUEST, type + " needs a non-negative integer \"" + name + "\"");
    }
    return field.number();
  }

  private static String requirePayload(FrameCodec.Fields f, String type) throws FrameException {
    if (f.payload == null || f.payload.token() != JsonToken.VALUE_STRING) {
      throw new FrameException(ErrorCode.BAD_REQUEST, type + " needs a string \"payload\"");
    }
    return f.payload.text();
  }

  static long requireId(FrameCodec.Fields f, String type) throws FrameException {
    if (!f.idIsU64) {
      throw new FrameException(ErrorCode.BAD_REQUEST, type + " needs an \"id\" that is an unsigned 64-bit integer");
    }
    return f.id;
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}
