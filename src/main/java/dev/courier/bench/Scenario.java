package dev.courier.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One workload: how many producers and consumers, how big each payload is, how many messages in
 * all, and how many unconfirmed publishes each producer may have outstanding.
 */
public record Scenario(String name, int producers, int consumers, int payloadBytes, int count, int window) {
  /** The producers' default window, as the producer command's. */
  public static final int DEFAULT_WINDOW = 1000;

  /** The named scenarios, in the order {@code all} runs them. */
  private static final Map<String, Scenario> NAMED = named();

  public Scenario {
    require(name != null && !name.isBlank(), "a scenario needs a name");
    require(producers >= 1, "--producers must be at least 1, was " + producers);
    require(consumers >= 1, "--consumers must be at least 1, was " + consumers);
    require(payloadBytes >= Payload.MIN_BYTES, "--size must be at least " + Payload.MIN_BYTES
        + " bytes to carry the sequence number and send time, was " + payloadBytes);
    require(count >= 1, "--count must be at least 1, was " + count);
    require(window >= 1, "--window must be at least 1, was " + window);
  }

  private static Map<String, Scenario> named() {
    Map<String, Scenario> named = new LinkedHashMap<>();
    named.put("S1", new Scenario("S1", 1, 1, 100, 200_000, DEFAULT_WINDOW));
    named.put("S2", new Scenario("S2", 4, 4, 100, 400_000, DEFAULT_WINDOW));
    named.put("S3", new Scenario("S3", 1, 1, 16 * 1024, 20_000, DEFAULT_WINDOW));
    named.put("S4", new Scenario("S4", 1, 1, 100, 20_000, 1));
    return named;
  }

  /** A user-defined workload. */
  public static Scenario custom(int producers, int consumers, int payloadBytes, int count, int window) {
    return new Scenario("custom", producers, consumers, payloadBytes, count, window);
  }

  /** {@code S1}, {@code s2,S3} or {@code all}; case does not matter. */
  public static List<Scenario> parseList(String names) {
    List<Scenario> scenarios = new ArrayList<>();
    for (String part : names.split(",")) {
      String key = part.trim().toUpperCase(Locale.ROOT);
      if (key.equals("ALL")) {
        scenarios.addAll(NAMED.values());
      } else if (NAMED.containsKey(key)) {
        scenarios.add(NAMED.get(key));
      } else {
        throw new IllegalArgumentException("unknown scenario \"" + part.trim() + "\"; expected "
            + String.join(", ", NAMED.keySet()) + " or all");
      }
    }
    return scenarios;
  }

  /** The messages producer {@code index} publishes: the first ones get the remainder. */
  public int countOfProducer(int index) {
    return count / producers + (index < count % producers ? 1 : 0);
  }

  /** The global sequence number of producer {@code index}'s first message; its block follows. */
  public int firstSequenceOfProducer(int index) {
    int first = 0;
    for (int i = 0; i < index; i++) {
      first += countOfProducer(i);
    }
    return first;
  }

  public String describe() {
    return String.format(Locale.ROOT, "%s: %d producer(s), %d consumer(s), %d B payloads, %d messages, window %d",
        name, producers, consumers, payloadBytes, count, window);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
