package dev.courier.http;

import dev.courier.core.Publication;
import dev.courier.protocol.Frame.Publish;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The body of {@code POST /api/v1/topics/{topic}/messages} as a publication; a bad one is a 400. */
final class PublishBody {
  private static final Set<String> FIELDS = Set.of("payload", "key", "headers", "encoding", "delay_ms", "deliver_at",
      "ttl_ms", "dedup_id");

  private PublishBody() {}

  /** The answer to a stored publish; a dedup hit names the first one's id and says so. */
  static JsonObject reply(String topic, BrokerView.Published stored) {
    JsonObject reply = new JsonObject().put("topic", topic).put("id", stored.id());
    return stored.duplicate() ? reply.put("duplicate", true) : reply;
  }

  static Publication parse(String topic, String contentType, Buffer body) {
    String text = utf8(body == null ? new byte[0] : body.getBytes());
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      return Publication.of(topic, text);
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.badRequest("the body is not a JSON object: send {\"payload\":\"...\"}, or any other Content-Type "
          + "for a plain-text payload");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ApiError.badRequest("unknown field \"" + field + "\"; a message has payload, key, headers, encoding, "
            + "delay_ms, deliver_at, ttl_ms and dedup_id");
      }
    }
    String payload = string(json, "payload");
    if (payload == null) {
      throw ApiError.badRequest("\"payload\" (a string) is missing");
    }
    String encoding = string(json, "encoding");
    boolean base64 = "base64".equals(encoding);
    if (encoding != null && !base64) {
      throw ApiError.badRequest("\"encoding\" must be \"base64\" (or absent for text), was \"" + encoding + "\"");
    }
    if (base64) {
      try {
        Base64.getDecoder().decode(payload);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("\"payload\" is not valid base64");
      }
    }
    long delayMs = number(json, "delay_ms", 0, Publish.MAX_DELAY_MS);
    long deliverAt = number(json, "deliver_at", 0, Publish.MAX_DELIVER_AT);
    if (json.getValue("delay_ms") != null && json.getValue("deliver_at") != null) {
      throw ApiError.badRequest("a message takes \"delay_ms\" or \"deliver_at\", not both: they would disagree on when");
    }
    return new Publication(topic, payload, string(json, "key"), headers(json), base64, dedupId(json),
        number(json, "ttl_ms", 1, Publish.MAX_DELAY_MS), delayMs, deliverAt);
  }

  /**
   * A life-cycle number by the wire's rule (docs/PROTOCOL.md): null is absent (0), anything but an
   * integer in range is refused, never clamped, since a wrong delay silently taken is a lost schedule.
   */
  private static long number(JsonObject json, String field, long min, long max) {
    Object value = json.getValue(field);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
      throw ApiError.badRequest("\"" + field + "\" must be an integer from " + min + " to " + max);
    }
    return ((Number) value).longValue();
  }

  private static String dedupId(JsonObject json) {
    String dedupId = string(json, "dedup_id");
    if (dedupId != null) {
      int bytes = dedupId.getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0 || bytes > Publish.MAX_DEDUP_ID_BYTES) {
        throw ApiError.badRequest("\"dedup_id\" must be 1 to " + Publish.MAX_DEDUP_ID_BYTES + " bytes of UTF-8, got "
            + bytes);
      }
    }
    return dedupId;
  }

  private static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw ApiError.badRequest("\"" + field + "\" must be a string");
    }
    return (String) value;
  }

  private static Map<String, String> headers(JsonObject json) {
    Object value = json.getValue("headers");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiError.badRequest("\"headers\" must be an object of strings");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : object) {
      if (!(entry.getValue() instanceof String s)) {
        throw ApiError.badRequest("header \"" + entry.getKey() + "\" must be a string");
      }
      headers.put(entry.getKey(), s);
    }
    return headers;
  }

  /** Strict UTF-8: a payload is text, and bytes that are not would be changed on the way. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ApiError.badRequest("the body is not UTF-8 text; send binary as {\"payload\":\"<base64>\","
          + "\"encoding\":\"base64\"} with Content-Type: application/json");
    }
  }
}
