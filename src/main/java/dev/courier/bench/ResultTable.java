package dev.courier.bench;

import java.util.List;
import java.util.Locale;

/** The figures as a plain-text table, one row per scenario. */
final class ResultTable {
  private static final String ROW = "%-8s %9s %10s %10s %8s %8s %8s %8s %8s %8s %8s %8s %6s %6s %10s %7s%n";

  private ResultTable() {}

  static String header() {
    return String.format(Locale.ROOT, ROW, "scenario", "offered/s", "e2e msg/s", "confirm/s", "p50 ms", "p99 ms",
        "p99.9 ms", "max ms", "ok p50", "ok p99", "ok p99.9", "ok max", "lost", "dup", "cpu s/100k", "rss MiB");
  }

  static String row(RunFigures f) {
    return String.format(Locale.ROOT, ROW, f.scenario(), f.offeredPerSecond() > 0 ? whole(f.offeredPerSecond()) : "closed",
        whole(f.endToEndPerSecond()), whole(f.confirmedPerSecond()),
        millis(f.p50Millis()), millis(f.p99Millis()), millis(f.p999Millis()), millis(f.maxMillis()),
        millis(f.okP50Millis()), millis(f.okP99Millis()), millis(f.okP999Millis()), millis(f.okMaxMillis()),
        count(f.lost()), count(f.duplicated()), optional(f.brokerCpuSecondsPer100k(), "%.2f"),
        optional(f.brokerPeakRssMib(), "%.0f"));
  }

  static String of(List<RunFigures> figures) {
    StringBuilder table = new StringBuilder(header());
    figures.forEach(f -> table.append(row(f)));
    return table.toString();
  }

  private static String whole(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  private static String millis(double value) {
    return String.format(Locale.ROOT, value < 10 ? "%.3f" : "%.1f", value);
  }

  /** Medians of counts can be halves; whole counts print without a fraction. */
  private static String count(double value) {
    return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String optional(Double value, String format) {
    return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
  }
}
