package dev.courier.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.List;

/**
 * Jackson's errors about settings turned into one sentence a user can act on: the key, the value
 * and what it should be, or the file's line and column; never the parser's internals.
 */
final class ConfigErrors {
  private ConfigErrors() {
  }

  /** Why {@link BrokerConfig#with} refused the settings, naming the key; {@code knownKeys} for a typo. */
  static String explain(IllegalArgumentException e, Collection<String> knownKeys) {
    Throwable cause = e.getCause();
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return "unknown setting \"" + unknown.getPropertyName() + "\"; known settings: "
          + String.join(", ", knownKeys);
    }
    if (cause != null && cause.getCause() instanceof IllegalArgumentException invalid) {
      return invalid.getMessage();
    }
    if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
        && mismatch.getPath().get(0).getFieldName() != null) {
      String key = mismatch.getPath().get(0).getFieldName();
      Object value = cause instanceof InvalidFormatException format ? format.getValue() : null;
      return key + ": " + (value == null ? "the value given" : "\"" + value + "\"") + " is not "
          + expected(key, mismatch.getTargetType());
    }
    String message = cause != null ? cause.getMessage() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** What a key's type allows, in words, for an error naming a value of the wrong type. */
  private static String expected(String key, Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return "a whole number (at most " + Integer.MAX_VALUE + ")";
    } else if (type == long.class || type == Long.class) {
      return "a whole number (at most " + Long.MAX_VALUE + ")";
    } else if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    } else if ("topics".equals(key) || (type != null && List.class.isAssignableFrom(type))) {
      return "a list of topic names (a JSON array of strings, or a,b,c with --set)";
    }
    return "a string";
  }

  static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? ""
        : " line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** Jackson's own words without the parser internals it appends (source, features). */
  static String describeJsonError(JsonProcessingException e) {
    if (e instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()) {
      return "expected a JSON object of settings, such as {\"port\": 8080}";
    }
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    return "not valid JSON: " + (newline < 0 ? message : message.substring(0, newline));
  }
}
