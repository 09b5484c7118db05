package dev.courier.client;

import java.util.List;

/**
 * What a producer run achieved; {@code duplicates} of the confirmed were dedup hits (nothing new
 * stored); {@code errorLines} names each broker error code once, with a hint.
 */
public record ProducerSummary(long sent, long confirmed, long duplicates, long errors, long elapsedNanos,
    String failure, List<String> errorLines) {

  public ProducerSummary {
    errorLines = List.copyOf(errorLines);
  }

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  public double confirmedPerSecond() {
    return elapsedNanos == 0 ? 0 : confirmed / seconds();
  }

  public boolean isComplete() {
    return failure == null && errors == 0 && confirmed == sent;
  }

  public String describe() {
    return String.format("sent %d, confirmed %d%s, errors %d in %.3f s (%.0f msg/s)%s",
        sent, confirmed, duplicates == 0 ? "" : " (" + duplicates + " duplicates)", errors, seconds(),
        confirmedPerSecond(), failure == null ? "" : "; " + failure);
  }

  /** The summary and, after it, each error code once: for a log line. */
  public String describeWithErrors() {
    return errorLines.isEmpty() ? describe() : describe() + "; " + String.join("; ", errorLines);
  }
}
