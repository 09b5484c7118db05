package dev.courier.http;

import dev.courier.core.Publication;
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

/** The body of {@code POST /api/v1/topics/{topic}/messages} as a publication; a bad one is a 400. */
final class PublishBody {
  private PublishBody() {}

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
      if (!field.equals("payload") && !field.equals("key") && !field.equals("headers") && !field.equals("encoding")) {
        throw ApiError.badRequest("unknown field \"" + field + "\"; a message has payload, key, headers and encoding");
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
    return new Publication(topic, payload, string(json, "key"), headers(json), base64);
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
