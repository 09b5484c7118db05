package dev.courier.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object read with Jackson's streaming parser into the plain values databind's untyped
 * reading gives (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean,
 * null), so that reading the config file and the users file at start does not load Jackson
 * databind: its ~460 classes were about a tenth of an idle broker's (docs/FOOTPRINT.md, "Idle
 * broker"). Only well-formed text is read here; callers hand anything else to databind, whose
 * error messages users already know.
 */
public final class JsonValues {
  private static final JsonFactory PLAIN = new JsonFactory();
  private static final JsonFactory STRICT = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonValues() {
  }

  /**
   * The object {@code json} holds, or null when it is not one JSON object (then the caller asks
   * databind, for its error). {@code strictDuplicates}: a repeated key is an error, not last-wins.
   *
   * @throws IOException when the text is not well-formed JSON, Jackson's own exception
   */
  public static Map<String, Object> readObject(byte[] json, boolean strictDuplicates) throws IOException {
    try (JsonParser parser = (strictDuplicates ? STRICT : PLAIN).createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return object(parser);
    }
  }

  private static Map<String, Object> object(JsonParser parser) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
      map.put(key, value(parser, parser.nextToken()));
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      // nextFieldName returns null on anything but a name; only END_OBJECT ends an object.
      throw new IOException("unexpected " + parser.currentToken() + " in a JSON object");
    }
    return map;
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> object(parser);
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          list.add(value(parser, next));
        }
        yield list;
      }
      case VALUE_STRING -> parser.getText();
      // Integer, Long or BigInteger by size, as databind's untyped reading gives.
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IOException("unexpected " + token + " in a JSON value");
    };
  }
}
