package dev.courier.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One workload: how many producers and consumers, how big each payload is, how many messages in
 * all, and how many unconfirmed publishes each producer may have outstanding.
 *
 * @param rate offered messages per second over all producers, sent on a schedule; 0 for a closed
 *     loop, where each producer sends as fast as its window allows
 * @param capacityShare for the L scenarios: the rate is this share of a capacity figure, known only
 *     when the bench runs ({@link #atCapacity}); 0 otherwise
 * @param warmupSeconds a fixed-rate run's first seconds, whose messages are sent but not measured:
 *     a fresh broker JVM compiles its hot paths then, and the stalls of that would otherwise be
 *     the p99 of a short run. The messages count towards {@code count}
 */
public record Scenario(String name, int producers, int consumers, int payloadBytes, int count, int window,
    int rate, double capacityShare, int warmupSeconds) {
  /** The producers' default window, as the producer command's. */
  public static final int DEFAULT_WINDOW = 1000;
  /**
   * How long an L scenario offers its rate: long enough for a p99.9 of a few ten thousand samples
   * even at low rates, short enough that L1-L3 take half a minute.
   */
  public static final int FIXED_RATE_SECONDS = 10;
  /** Unmeasured seconds before an L scenario's measured ones; the JIT settles within them here. */
  public static final int FIXED_RATE_WARMUP_SECONDS = 3;

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
    require(rate >= 0, "--rate must not be negative, was " + rate);
    require(capacityShare >= 0 && capacityShare < 1, "a capacity share is below 1, was " + capacityShare);
    require(warmupSeconds >= 0, "--warmup-seconds must not be negative, was " + warmupSeconds);
    require(warmupSeconds == 0 || rate > 0 || capacityShare > 0, "--warmup-seconds needs --rate");
  }

  /** A closed-loop workload. */
  public Scenario(String name, int producers, int consumers, int payloadBytes, int count, int window) {
    this(name, producers, consumers, payloadBytes, count, window, 0, 0, 0);
  }

  /** True if its rate is a share of a capacity figure that is not known yet. */
  public boolean needsCapacity() {
    return capacityShare > 0 && rate == 0;
  }

  /**
   * This L scenario at its share of {@code capacityPerSecond}: its warm-up, then
   * {@link #FIXED_RATE_SECONDS} measured.
   */
  public Scenario atCapacity(double capacityPerSecond) {
    int offered = (int) Math.max(producers, Math.round(capacityPerSecond * capacityShare));
    long messages = (long) offered * (warmupSeconds + FIXED_RATE_SECONDS);
    require(messages <= Integer.MAX_VALUE, "capacity " + capacityPerSecond + " msg/s is too high to offer for "
        + (warmupSeconds + FIXED_RATE_SECONDS) + " s");
    return new Scenario(name, producers, consumers, payloadBytes, (int) messages, window, offered, capacityShare,
        warmupSeconds);
  }

  public boolean isFixedRate() {
    return rate > 0;
  }

  private static Map<String, Scenario> named() {
    Map<String, Scenario> named = new LinkedHashMap<>();
    named.put("S1", new Scenario("S1", 1, 1, 100, 200_000, DEFAULT_WINDOW));
    named.put("S2", new Scenario("S2", 4, 4, 100, 400_000, DEFAULT_WINDOW));
    named.put("S3", new Scenario("S3", 1, 1, 16 * 1024, 20_000, DEFAULT_WINDOW));
    named.put("S4", new Scenario("S4", 1, 1, 100, 20_000, 1));
    // 4P/4C at a fixed offered rate: a quarter, half and three quarters of the measured capacity.
    named.put("L1", new Scenario("L1", 4, 4, 100, 1, DEFAULT_WINDOW, 0, 0.25,
        FIXED_RATE_WARMUP_SECONDS));
    named.put("L2", new Scenario("L2", 4, 4, 100, 1, DEFAULT_WINDOW, 0, 0.50,
        FIXED_RATE_WARMUP_SECONDS));
    named.put("L3", new Scenario("L3", 4, 4, 100, 1, DEFAULT_WINDOW, 0, 0.75,
        FIXED_RATE_WARMUP_SECONDS));
    return named;
  }

  /** A user-defined workload. */
  public static Scenario custom(int producers, int consumers, int payloadBytes, int count, int window) {
    return custom(producers, consumers, payloadBytes, count, window, 0);
  }

  /** A user-defined workload at {@code rate} msg/s offered (0: closed loop). */
  public static Scenario custom(int producers, int consumers, int payloadBytes, int count, int window, int rate) {
    return custom(producers, consumers, payloadBytes, count, window, rate, 0);
  }

  /** As above, the first {@code warmupSeconds} of the schedule not measured. */
  public static Scenario custom(int producers, int consumers, int payloadBytes, int count, int window, int rate,
      int warmupSeconds) {
    return new Scenario("custom", producers, consumers, payloadBytes, count, window, rate, 0, warmupSeconds);
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
    String load = rate > 0 ? String.format(Locale.ROOT, ", %d msg/s offered", rate)
        : capacityShare > 0 ? String.format(Locale.ROOT, ", %.0f %% of capacity", capacityShare * 100) : "";
    String messages = (needsCapacity() ? FIXED_RATE_SECONDS + " s" : count + " messages")
        + (warmupSeconds > 0 ? " (the first " + warmupSeconds + " s not measured)" : "");
    return String.format(Locale.ROOT, "%s: %d producer(s), %d consumer(s), %d B payloads, %s, window %d%s",
        name, producers, consumers, payloadBytes, messages, window, load);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
