package dev.courier.core;

import java.util.regex.Pattern;

/**
 * The one rule for topic and group names, shared by the wire, the configuration and recovery so
 * that a name the broker accepts is always a folder it can find again. A name becomes a directory
 * under the data folder, a metrics tag and a log field, so it must never be a path trick: no
 * {@code .} or {@code ..}, no leading dot (a hidden file), no separator. Dots inside a name
 * ({@code orders.eu}) stay allowed, as before this rule tightened.
 */
public final class Names {
  /** At most 128 characters: a first one that is not a dot, then letters, digits, dot, underscore, dash. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  /** The rule in words, for error messages and logs. */
  public static final String DESCRIPTION =
      "1 to 128 of A-Z a-z 0-9 . _ - and not starting with a dot ([A-Za-z0-9_-][A-Za-z0-9._-]{0,127})";

  private Names() {}

  public static boolean isValid(String name) {
    return name != null && PATTERN.matcher(name).matches();
  }
}
