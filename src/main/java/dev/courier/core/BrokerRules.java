package dev.courier.core;

/**
 * The settings a broker's rules depend on.
 *
 * @param delivery ack timeout and the most in flight per consumer
 * @param topicLimits the limits and overflow policy of every topic
 * @param autoCreateTopics whether a publish or subscribe naming a new topic creates it
 * @param topicMemoryBytes per topic, how many bytes of messages stay in memory, counted as their
 *     estimated heap cost ({@link ResidentSize}); beyond it new
 *     messages stay in storage only (ignored by storage that {@linkplain Storage#keepsLog keeps no log})
 * @param dedupWindowMillis how long a publish's {@code dedup_id} makes a second one with it a duplicate
 */
public record BrokerRules(DeliveryPolicy delivery, TopicLimits topicLimits, boolean autoCreateTopics,
    long topicMemoryBytes, long dedupWindowMillis) {
  /** The setting {@code dedup_window_ms}'s default. */
  public static final long DEFAULT_DEDUP_WINDOW_MILLIS = 120_000;

  public BrokerRules(DeliveryPolicy delivery, TopicLimits topicLimits, boolean autoCreateTopics, long topicMemoryBytes) {
    this(delivery, topicLimits, autoCreateTopics, topicMemoryBytes, DEFAULT_DEDUP_WINDOW_MILLIS);
  }

  public BrokerRules {
    if (topicMemoryBytes < 1) {
      throw new IllegalArgumentException("topicMemoryBytes must be positive, was " + topicMemoryBytes);
    }
    if (dedupWindowMillis < 1) {
      throw new IllegalArgumentException("dedupWindowMillis must be positive, was " + dedupWindowMillis);
    }
  }
}
