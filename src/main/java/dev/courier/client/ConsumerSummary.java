package dev.courier.client;

import java.util.List;

/**
 * What a consumer run received. {@code redelivered} counts ids seen before in this run,
 * {@code nacked} the deliveries it gave back; {@code errorLines} names each broker error code once,
 * with a hint.
 */
public record ConsumerSummary(long received, long redelivered, long acked, long nacked, long errors,
    long elapsedNanos, String failure, List<String> errorLines) {

  public ConsumerSummary {
    errorLines = List.copyOf(errorLines);
  }

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  public double receivedPerSecond() {
    return elapsedNanos == 0 ? 0 : received / seconds();
  }

  public String describe() {
    return String.format("received %d (%d redelivered), acked %d%s, errors %d in %.3f s (%.0f msg/s)%s",
        received, redelivered, acked, nacked == 0 ? "" : ", nacked " + nacked, errors, seconds(),
        receivedPerSecond(), failure == null ? "" : "; " + failure);
  }

  /** The summary and, after it, each error code once: for a log line. */
  public String describeWithErrors() {
    return errorLines.isEmpty() ? describe() : describe() + "; " + String.join("; ", errorLines);
  }
}
