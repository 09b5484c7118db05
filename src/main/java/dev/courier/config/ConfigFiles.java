package dev.courier.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reading settings from JSON text or a file, kept apart from {@link BrokerConfig} so that the
 * record holds the settings and their rules, and this the ways reading them fails: each failure
 * names its source and, for bad JSON, the line and column, so an operator can fix the file.
 */
final class ConfigFiles {
  private ConfigFiles() {
  }

  /**
   * Defaults overlaid with settings given as JSON text, such as a verticle's {@code -conf};
   * {@code source} names it in errors. Parsed here rather than taken from Vert.x's JsonObject,
   * whose arrays are no Java lists.
   */
  static BrokerConfig parse(String json, String source) {
    try {
      Map<String, Object> parsed = plainObject(json.getBytes(StandardCharsets.UTF_8));
      return BrokerConfig.defaults().with(parsed != null ? parsed : DatabindSettings.read(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ConfigErrors.where(e.getLocation()) + ": " + ConfigErrors.describeJsonError(e), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /** Defaults overlaid with a JSON file of settings; a missing or unreadable file says which and why. */
  static BrokerConfig load(Path file) throws IOException {
    Map<String, Object> fromFile;
    try {
      byte[] bytes = Files.readAllBytes(file);
      Map<String, Object> parsed = plainObject(bytes);
      fromFile = parsed != null ? parsed : DatabindSettings.read(bytes);
    } catch (JsonProcessingException e) {
      throw new IOException("config " + file + ConfigErrors.where(e.getLocation()) + ": " + ConfigErrors.describeJsonError(e), e);
    } catch (NoSuchFileException e) {
      throw new IOException("cannot read config " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException("cannot read config " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new IOException("cannot read config " + file + ": " + e.getMessage(), e);
    }
    try {
      return BrokerConfig.defaults().with(fromFile);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config " + file + ": " + e.getMessage(), e);
    }
  }

  /** The settings object read without databind, or null: then databind reads it, for its error words. */
  private static Map<String, Object> plainObject(byte[] json) {
    try {
      return JsonValues.readObject(json, false);
    } catch (IOException e) {
      return null;
    }
  }
}
