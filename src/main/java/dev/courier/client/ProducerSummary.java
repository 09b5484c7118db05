package dev.courier.client;

/** What a producer run achieved. */
public record ProducerSummary(long sent, long confirmed, long errors, long elapsedNanos, String failure) {

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
    return String.format("sent %d, confirmed %d, errors %d in %.3f s (%.0f msg/s)%s",
        sent, confirmed, errors, seconds(), confirmedPerSecond(), failure == null ? "" : "; " + failure);
  }
}
