package dev.courier.core;

/** What became of a publish. Client mistakes and full topics are results, not exceptions. */
public enum PublishOutcome {
  ACCEPTED,
  /**
   * Accepted, and the topic is now at its limit: stop reading from this producer until
   * {@link Broker#awaitSpace} calls back (back-pressure, {@code overflow: pause}).
   */
  ACCEPTED_TOPIC_FULL,
  /** Refused because the topic is full and its overflow policy is {@code reject}. */
  REJECTED_TOPIC_FULL,
  /** Refused: no such topic and topics are not created on first use. */
  UNKNOWN_TOPIC,
  /** Refused: the broker is draining for shutdown. */
  SHUTTING_DOWN;

  public boolean isAccepted() {
    return this == ACCEPTED || this == ACCEPTED_TOPIC_FULL;
  }
}
