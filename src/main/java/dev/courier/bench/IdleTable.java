package dev.courier.bench;

import java.util.Locale;

/** The idle figures as a plain-text table, one row per run. */
final class IdleTable {
  private static final String ROW = "%-12s %8s %15s %14s %12s%n";

  private IdleTable() {}

  static String header() {
    return String.format(Locale.ROOT, ROW, "idle", "items", "rss before MiB", "rss after MiB", "per item KiB");
  }

  static String row(IdleFigures f) {
    return String.format(Locale.ROOT, ROW, f.kind(), f.items(), String.format(Locale.ROOT, "%.1f", f.rssBeforeMib()),
        String.format(Locale.ROOT, "%.1f", f.rssAfterMib()), String.format(Locale.ROOT, "%.2f", f.kibPerItem()));
  }
}
