package dev.courier.security;

import java.util.ArrayList;
import java.util.List;

/**
 * Which topics one permission covers: a list of name patterns, each an exact topic name, a prefix
 * ending in {@code *} ({@code orders.*} covers {@code orders.eu} and {@code orders.}; {@code *}
 * alone covers every topic), or either of those after {@code !}, which denies. A deny wins over
 * every allow, whatever the order: {@code ["*", "!payroll.*"]} is everything but payroll.
 */
public final class TopicPatterns {
  /** Covers every topic: what an anonymous client may do when anonymous access is allowed. */
  public static final TopicPatterns ALL = new TopicPatterns(List.of("*"));
  public static final TopicPatterns NONE = new TopicPatterns(List.of());

  private final List<String> patterns;
  private final List<String> allowed = new ArrayList<>();
  private final List<String> denied = new ArrayList<>();

  public TopicPatterns(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    for (String pattern : this.patterns) {
      String body = pattern.startsWith("!") ? pattern.substring(1) : pattern;
      int star = body.indexOf('*');
      if (body.isEmpty() || (star >= 0 && star != body.length() - 1)) {
        throw new IllegalArgumentException("topic pattern \"" + pattern
            + "\" must be a topic name, or end in a single * (like \"orders.*\" or \"*\"), optionally after !");
      }
      (pattern.startsWith("!") ? denied : allowed).add(body);
    }
  }

  /** Checked for every publish: indexed loops, since streams (and iterators) per call were garbage per message. */
  public boolean covers(String topic) {
    for (int i = 0; i < denied.size(); i++) {
      if (matches(denied.get(i), topic)) {
        return false;
      }
    }
    for (int i = 0; i < allowed.size(); i++) {
      if (matches(allowed.get(i), topic)) {
        return true;
      }
    }
    return false;
  }

  /** True when this covers every topic there could be: at least {@code *} and no deny. */
  public boolean coversEverything() {
    return denied.isEmpty() && allowed.contains("*");
  }

  /** The patterns as written, for the users file. */
  public List<String> patterns() {
    return patterns;
  }

  private static boolean matches(String pattern, String topic) {
    int prefix = pattern.length() - 1;
    return pattern.endsWith("*") ? topic.length() >= prefix && topic.regionMatches(0, pattern, 0, prefix)
        : pattern.equals(topic);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TopicPatterns that && patterns.equals(that.patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return patterns.toString();
  }
}
