package dev.courier.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings read through Jackson databind, for what {@link RecordSettings} and {@link JsonValues}
 * leave to it: a value that needs coercing, an unknown key, text that is not one JSON object.
 * Its coercions and error messages are the ones users know; it is a class of its own so that
 * databind is loaded only when one of those happens, not by every broker at start.
 */
final class DatabindSettings {
  /** Snake_case keys, unknown keys and nulls for numbers refused. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private DatabindSettings() {
  }

  /** Every setting of {@code merged} converted as databind does, or why not in one sentence. */
  static BrokerConfig convert(Map<String, Object> merged) {
    try {
      return MAPPER.convertValue(merged, BrokerConfig.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ConfigErrors.explain(e, BrokerConfig.defaults().toMap().keySet()), e);
    }
  }

  /** The settings object of {@code json}, or databind's exception saying why there is none. */
  static Map<String, Object> read(byte[] json) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = MAPPER.readValue(json, LinkedHashMap.class);
    return parsed;
  }

  /** The same for text. */
  static Map<String, Object> read(String json) throws JsonProcessingException {
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = MAPPER.readValue(json, LinkedHashMap.class);
    return parsed;
  }

  /** As {@link BrokerConfig#toMap}, the way databind writes it: for tests that the two agree. */
  static Map<String, Object> toMap(BrokerConfig config) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(config, LinkedHashMap.class);
    return map;
  }
}
