package dev.courier.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@link BrokerConfig} to and from its snake_case map through the record's own components, for
 * every value whose type needs no judgement: a number for a number, {@code "500"} for a number,
 * {@code "true"} for a boolean, a string for a string, a list of strings for {@code topics}. It
 * gives what Jackson databind gives for those, without loading databind's classes into every
 * broker (docs/FOOTPRINT.md, "Idle broker"). Anything else (an unknown key, a value of the wrong
 * type, a fraction, a number out of range) is left to databind, whose coercions and error messages
 * stay exactly what they were: {@link #build} returns null for it.
 */
final class RecordSettings {
  /** A whole number Long.parseLong always takes: sign and at most 18 digits; longer goes to databind. */
  private static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,18}");
  private static final RecordComponent[] COMPONENTS = BrokerConfig.class.getRecordComponents();
  private static final String[] KEYS = new String[COMPONENTS.length];
  /** What {@link #convert} returns for a value it leaves to databind (null is a value). */
  private static final Object NEEDS_DATABIND = new Object();

  static {
    for (int i = 0; i < COMPONENTS.length; i++) {
      KEYS[i] = snakeCase(COMPONENTS[i].getName());
    }
  }

  private RecordSettings() {
  }

  /** As databind's convertValue to a map: declaration order, each value of its component's type, a list copied. */
  static Map<String, Object> toMap(BrokerConfig config) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < COMPONENTS.length; i++) {
      Object value;
      try {
        value = COMPONENTS[i].getAccessor().invoke(config);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read setting " + KEYS[i], e);
      }
      if (value instanceof List<?> list) {
        value = new ArrayList<>(list);
      }
      map.put(KEYS[i], value);
    }
    return map;
  }

  /**
   * The settings of {@code map} (every key, as {@link #toMap} gives them, with some replaced), or
   * null when one key or value needs databind. A value the record refuses is the record's
   * IllegalArgumentException, its message unchanged.
   */
  static BrokerConfig build(Map<String, ?> map) {
    if (map.size() != KEYS.length) {
      return null;
    }
    Object[] args = new Object[KEYS.length];
    Class<?>[] types = new Class<?>[KEYS.length];
    for (int i = 0; i < KEYS.length; i++) {
      types[i] = COMPONENTS[i].getType();
      if (!map.containsKey(KEYS[i])) {
        return null;
      }
      args[i] = convert(map.get(KEYS[i]), types[i]);
      if (args[i] == NEEDS_DATABIND) {
        return null;
      }
    }
    try {
      Constructor<BrokerConfig> constructor = BrokerConfig.class.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        throw new IllegalArgumentException(invalid.getMessage(), invalid);
      }
      throw new IllegalStateException("cannot build the settings", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build the settings", e);
    }
  }

  private static Object convert(Object value, Class<?> type) {
    if (type == String.class) {
      return value == null || value instanceof String ? value : NEEDS_DATABIND;
    } else if (type == int.class || type == long.class) {
      long whole;
      if (value instanceof Integer || value instanceof Long) {
        whole = ((Number) value).longValue();
      } else if (value instanceof String text && WHOLE.matcher(text).matches()) {
        whole = Long.parseLong(text);
      } else {
        return NEEDS_DATABIND;
      }
      if (type == long.class) {
        return whole;
      }
      return whole == (int) whole ? (Object) (int) whole : NEEDS_DATABIND;
    } else if (type == boolean.class || type == Boolean.class) {
      if (value instanceof Boolean || (value == null && type == Boolean.class)) {
        return value;
      }
      return "true".equals(value) ? Boolean.TRUE : "false".equals(value) ? Boolean.FALSE : NEEDS_DATABIND;
    } else if (type == List.class) {
      if (!(value instanceof List<?> list)) {
        return NEEDS_DATABIND;
      }
      for (Object item : list) {
        if (!(item instanceof String)) {
          return NEEDS_DATABIND;
        }
      }
      return list;
    }
    return NEEDS_DATABIND;
  }

  /** Jackson's SNAKE_CASE for these names: {@code maxInFlightPerConsumer} is {@code max_in_flight_per_consumer}. */
  private static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
