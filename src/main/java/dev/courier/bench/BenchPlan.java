package dev.courier.bench;

import dev.courier.client.ClientTls;
import dev.courier.client.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What to run: the scenarios in order, how many times each, the per-run timeout, where, and how
 * the bench's clients connect ({@code tls}: to a broker port that speaks TLS; {@code credentials}:
 * as a user of its users file). {@code capacityPerSecond}: what the L scenarios take their share
 * of; null to measure it in the run (the median of S2, or one closed-loop S2 pass of its own).
 */
public record BenchPlan(List<Scenario> scenarios, int repeat, Duration timeout, BenchTarget target, ClientTls tls,
    Credentials credentials, Integer capacityPerSecond) {
  public BenchPlan {
    scenarios = List.copyOf(scenarios);
    tls = tls == null ? ClientTls.OFF : tls;
    credentials = credentials == null ? Credentials.NONE : credentials;
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException("no scenario to run");
    }
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be at least 1, was " + repeat);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout-seconds must be positive, was " + timeout.toSeconds());
    }
    if (capacityPerSecond != null && capacityPerSecond < 1) {
      throw new IllegalArgumentException("--capacity must be at least 1 msg/s, was " + capacityPerSecond);
    }
  }

  /** The capacity measured in the run when an L scenario needs it. */
  public BenchPlan(List<Scenario> scenarios, int repeat, Duration timeout, BenchTarget target, ClientTls tls,
      Credentials credentials) {
    this(scenarios, repeat, timeout, target, tls, credentials, null);
  }

  /** With clients over plain TCP. */
  public BenchPlan(List<Scenario> scenarios, int repeat, Duration timeout, BenchTarget target) {
    this(scenarios, repeat, timeout, target, ClientTls.OFF, Credentials.NONE);
  }

  /**
   * The broker's default JVM options, kept in one resource that the Makefile's {@code JAVA_OPTS}
   * reads too: a small heap and the serial GC, which leaves the second core to the event loop.
   */
  public static String defaultBrokerJvmOptions() {
    try (InputStream in = BenchPlan.class.getResourceAsStream("broker-jvm.options")) {
      if (in == null) {
        throw new IllegalStateException("broker-jvm.options is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read broker-jvm.options", e);
    }
  }

  /** Splits JVM options on white space (no quoting: JVM flags do not need it). */
  public static List<String> splitOptions(String options) {
    String trimmed = options.trim();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }
}
