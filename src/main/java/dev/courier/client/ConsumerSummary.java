package dev.courier.client;

/** What a consumer run received. {@code redelivered} counts ids seen before in this run. */
public record ConsumerSummary(long received, long redelivered, long acked, long errors, long elapsedNanos,
    String failure) {

  public double seconds() {
    return elapsedNanos / 1e9;
  }

  public double receivedPerSecond() {
    return elapsedNanos == 0 ? 0 : received / seconds();
  }

  public String describe() {
    return String.format("received %d (%d redelivered), acked %d, errors %d in %.3f s (%.0f msg/s)%s",
        received, redelivered, acked, errors, seconds(), receivedPerSecond(), failure == null ? "" : "; " + failure);
  }
}
