package dev.courier.core;

/**
 * One group's figures. {@code ready} counts messages waiting for a consumer; {@code oldestReadyAgeMillis}
 * is how long the oldest of them has waited since it was published (0 when none waits);
 * {@code deadLettered} the dead letters it stored (every reason), {@code expired} the messages whose
 * ttl_ms passed before it acked them (dead-lettered or, without a dead-letter topic, dropped);
 * {@code ordering} is null unless the group is ordered.
 */
public record GroupStats(String name, long ready, int inFlight, int consumers, long delivered, long acked,
    long redelivered, long oldestReadyAgeMillis, long deadLettered, long expired, OrderingStats ordering) {
  public GroupStats(String name, long ready, int inFlight, int consumers, long delivered, long acked,
      long redelivered, long oldestReadyAgeMillis, long deadLettered, long expired) {
    this(name, ready, inFlight, consumers, delivered, acked, redelivered, oldestReadyAgeMillis, deadLettered, expired,
        null);
  }

  public GroupStats(String name, long ready, int inFlight, int consumers, long delivered, long acked,
      long redelivered, long oldestReadyAgeMillis) {
    this(name, ready, inFlight, consumers, delivered, acked, redelivered, oldestReadyAgeMillis, 0, 0);
  }
}
