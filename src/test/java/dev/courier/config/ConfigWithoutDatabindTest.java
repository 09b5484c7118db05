package dev.courier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings with plain values are read without Jackson databind (RecordSettings, JsonValues), and
 * give exactly what databind gives; anything else still goes through databind, with its words.
 */
class ConfigWithoutDatabindTest {

  @Test
  void theSettingsMapIsTheOneDatabindWritesValueTypesIncluded() {
    BrokerConfig changed = BrokerConfig.defaults().with(Map.of("ack_timeout_ms", "6000000000", "topics", "a, b",
        "users_file", "u.json", "allow_anonymous", "false", "max_topic_bytes", "4096"));
    for (BrokerConfig config : List.of(BrokerConfig.defaults(), changed)) {
      Map<String, Object> plain = config.toMap();
      Map<String, Object> databind = DatabindSettings.toMap(config);
      databind.forEach((key, value) -> assertEquals(value == null ? null : value.getClass(),
          plain.get(key) == null ? null : plain.get(key).getClass(), key));
      assertEquals(databind, plain);
      assertEquals(new ArrayList<>(databind.keySet()), new ArrayList<>(plain.keySet()), "same order");
    }
  }

  @Test
  void plainValuesGiveTheSettingsDatabindGives() {
    List<Map<String, Object>> overrides = List.of(
        Map.of("port", "0", "ack_timeout_ms", "500", "auto_create_topics", "false", "overflow", "reject"),
        Map.of("port", 9000, "max_topic_messages", 10, "retention_ms", 6_000_000_000L, "topics", List.of("a", "b")),
        Map.of("stomp_port", "-1", "http_port", -1, "allow_anonymous", true, "metrics_open", "true"),
        Map.of("drain_timeout_ms", "007", "host", "localhost", "data_dir", "/tmp/x"));
    for (Map<String, Object> override : overrides) {
      Map<String, Object> merged = BrokerConfig.defaults().toMap();
      merged.putAll(override);
      assertEquals(DatabindSettings.convert(merged), RecordSettings.build(merged), override.toString());
      assertEquals(DatabindSettings.convert(merged), BrokerConfig.defaults().with(override));
    }
    Map<String, Object> nullUsers = BrokerConfig.defaults().toMap();
    nullUsers.put("users_file", null);
    nullUsers.put("allow_anonymous", null);
    assertEquals(BrokerConfig.defaults(), RecordSettings.build(nullUsers));
  }

  @Test
  void valuesThatNeedCoercionAreLeftToDatabindAndKeepItsWords() {
    for (Object odd : new Object[] {1.5, "+5", " 5", "", "1e3", null, List.of(1), "99999999999999999999"}) {
      Map<String, Object> merged = BrokerConfig.defaults().toMap();
      merged.put("max_connections", odd);
      assertEquals(null, RecordSettings.build(merged), String.valueOf(odd));
    }
    Map<String, Object> unknown = BrokerConfig.defaults().toMap();
    unknown.put("ack_timeout", 5);
    assertEquals(null, RecordSettings.build(unknown));
    assertEquals("max_frame_bytes: \"3000000000\" is not a whole number (at most 2147483647)",
        assertThrows(IllegalArgumentException.class,
            () -> BrokerConfig.defaults().with(Map.of("max_frame_bytes", "3000000000"))).getMessage());
    // databind truncates a fraction for a whole number; so it stays.
    assertEquals(1, BrokerConfig.defaults().with(Map.of("max_connections", 1.5)).maxConnections());
  }

  @Test
  void aValueTheRecordRefusesIsRefusedInTheRecordsWords() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> RecordSettings.build(merged("max_in_flight_per_consumer", "0")));
    assertEquals("max_in_flight_per_consumer must be at least 1, was 0", error.getMessage());
  }

  @Test
  void aConfigFileOfPlainValuesAndItsOverridesAreReadWithoutDatabind(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broker.json");
    Files.writeString(file, "{\"port\": 9000, \"topics\": [\"a\", \"b\"], \"users_file\": null, \"fsync\": \"never\"}");
    try (WithoutDatabind loader = new WithoutDatabind(BrokerConfig.class, JsonFactory.class)) {
      Class<?> config = loader.loadClass(BrokerConfig.class.getName());
      Object fromFile = config.getMethod("load", Path.class).invoke(null, Path.of("conf/broker.json"));
      assertEquals(BrokerConfig.defaults().toString(), fromFile.toString());
      Object loaded = config.getMethod("load", Path.class).invoke(null, file);
      Object changed = config.getMethod("with", Map.class).invoke(loaded, Map.of("port", "0", "topics", "c"));
      assertEquals(BrokerConfig.load(file).with(Map.of("port", "0", "topics", "c")).toString(), changed.toString());
      Object parsed = config.getMethod("parse", String.class, String.class).invoke(null, "{\"port\": 1}", "-conf");
      assertEquals(BrokerConfig.parse("{\"port\": 1}", "-conf").toString(), parsed.toString());
      assertEquals(List.of(), loader.refused());

      // The loader does refuse databind: an unknown key needs it.
      Method with = config.getMethod("with", Map.class);
      InvocationTargetException needsIt = assertThrows(InvocationTargetException.class,
          () -> with.invoke(loaded, Map.of("ack_timeout", "5")));
      assertTrue(needsIt.getCause() instanceof NoClassDefFoundError, String.valueOf(needsIt.getCause()));
      assertTrue(!loader.refused().isEmpty());
    }
  }

  @Test
  void nestedValuesAndNumbersReadAsDatabindReadsThem() throws Exception {
    byte[] json = ("{\"a\": {\"b\": [1, 2.5, true, false, null, \"x\", 3000000000, 123456789012345678901234567890]},"
        + " \"a2\": [], \"c\": {}}").getBytes(UTF_8);
    assertEquals(DatabindSettings.read(json), JsonValues.readObject(json, false));
    assertEquals(null, JsonValues.readObject("[1]".getBytes(UTF_8), false));
  }

  private static Map<String, Object> merged(String key, Object value) {
    Map<String, Object> merged = new LinkedHashMap<>(BrokerConfig.defaults().toMap());
    merged.put(key, value);
    return merged;
  }
}
