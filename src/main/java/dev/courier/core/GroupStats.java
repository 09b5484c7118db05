package dev.courier.core;

/**
 * One group's figures. {@code ready} counts messages waiting for a consumer; {@code oldestReadyAgeMillis}
 * is how long the oldest of them has waited since it was published (0 when none waits);
 * {@code expiredDropped} counts messages whose {@code ttl_ms} passed before the group acked them
 * and that it dropped, having no dead-letter topic.
 */
public record GroupStats(String name, long ready, int inFlight, int consumers, long delivered, long acked,
    long redelivered, long oldestReadyAgeMillis, long expiredDropped) {
  public GroupStats(String name, long ready, int inFlight, int consumers, long delivered, long acked,
      long redelivered, long oldestReadyAgeMillis) {
    this(name, ready, inFlight, consumers, delivered, acked, redelivered, oldestReadyAgeMillis, 0);
  }
}
