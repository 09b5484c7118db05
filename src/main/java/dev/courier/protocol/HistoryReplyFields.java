package dev.courier.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code history_reply} read as a JSON document into a {@link Frame.HistoryReply}, on a
 * client's side. Every field is checked for its type, so that a damaged or hostile reply is
 * {@code bad_request} like any other mistyped frame: a cast straight from the document threw
 * ClassCastException (or NullPointerException) out of the decoder for, e.g., a numeric
 * {@code topic} or a message without an {@code id}, which fuzzing found (FrameFuzzTest).
 */
final class HistoryReplyFields {
  private HistoryReplyFields() {}

  static Frame.HistoryReply read(Map<String, Object> reply) throws FrameException {
    String topic = optionalText(reply, "topic");
    List<Frame.HistoryMessage> messages = new ArrayList<>();
    Object list = reply.get("messages");
    if (list instanceof List<?> items) {
      for (Object item : items) {
        messages.add(message(item));
      }
    } else if (list != null) {
      throw mistyped("\"messages\" must be an array");
    }
    Object nextId = reply.get("next_id");
    if (nextId != null && integer(nextId) == null) {
      throw mistyped("\"next_id\" must be an integer");
    }
    return new Frame.HistoryReply(topic, messages, integer(nextId));
  }

  private static Frame.HistoryMessage message(Object item) throws FrameException {
    if (!(item instanceof Map<?, ?> fields)) {
      throw mistyped("each of \"messages\" must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) fields; // JSON object keys are strings
    Long id = integer(m.get("id"));
    if (id == null || !(m.get("payload") instanceof String payload)) {
      throw mistyped("each of \"messages\" needs an integer \"id\" and a string \"payload\"");
    }
    Object timestamp = m.get("timestamp");
    if (timestamp != null && integer(timestamp) == null) {
      throw mistyped("a message \"timestamp\" must be an integer");
    }
    String encoding = optionalText(m, "encoding");
    return new Frame.HistoryMessage(id, payload, timestamp == null ? 0 : integer(timestamp),
        optionalText(m, "key"), headers(m.get("headers")), Frame.Encoding.fromWire(encoding));
  }

  private static Map<String, String> headers(Object value) throws FrameException {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw mistyped("a message's \"headers\" must be an object of string values");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<?, ?> header : map.entrySet()) {
      if (!(header.getValue() instanceof String text)) {
        throw mistyped("a message's \"headers\" must be an object of string values");
      }
      headers.put((String) header.getKey(), text);
    }
    return headers;
  }

  private static String optionalText(Map<String, Object> fields, String name) throws FrameException {
    Object value = fields.get(name);
    if (value != null && !(value instanceof String)) {
      throw mistyped("\"" + name + "\" must be a string");
    }
    return (String) value;
  }

  /** The 64 bits of an integer (a u64 id above Long.MAX_VALUE reads negative), or null for anything else. */
  private static Long integer(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    return value instanceof BigInteger big ? big.longValue() : null;
  }

  private static FrameException mistyped(String what) {
    return new FrameException(ErrorCode.BAD_REQUEST, "history_reply: " + what);
  }
}
