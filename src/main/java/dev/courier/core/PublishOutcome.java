package dev.courier.core;

/**
 * What a topic's admission decided for a publication (in {@link Publishing}), which
 * turns it into what the publisher hears. Client mistakes and full topics are results, not exceptions.
 */
enum PublishOutcome {
  ACCEPTED,
  /**
   * Accepted, and the topic is now at its limit: stop reading from this producer until
   * the topic is below its low watermark (back-pressure, {@code overflow: pause}).
   */
  ACCEPTED_TOPIC_FULL,
  /**
   * Not admitted: the topic has no room for it and its overflow is {@code pause}. The publication is
   * held unanswered, its producer paused, and admitted again once the topic has room for it.
   * Nothing was reserved.
   */
  HELD_TOPIC_FULL,
  /** Refused because the topic is full and its overflow policy is {@code reject}. */
  REJECTED_TOPIC_FULL,
  /** Refused whatever the overflow: the message alone is larger than {@code max_topic_bytes}. */
  REJECTED_LARGER_THAN_TOPIC,
  /** Refused: no such topic and topics are not created on first use. */
  UNKNOWN_TOPIC,
  /** Refused: the topic would be new and the broker has {@link Quotas#maxTopics()} topics. */
  REJECTED_TOO_MANY_TOPICS,
  /** Refused: the broker is draining for shutdown. */
  SHUTTING_DOWN;

  public boolean isAccepted() {
    return this == ACCEPTED || this == ACCEPTED_TOPIC_FULL;
  }
}
