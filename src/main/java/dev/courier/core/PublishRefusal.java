package dev.courier.core;

/** Why a publish was not stored; each adapter maps it to its own error (docs/PROTOCOL.md for seed frames). */
public enum PublishRefusal {
  /** The topic is full and its overflow policy is {@code reject}. */
  TOPIC_FULL,
  /** The message alone is larger than {@code max_topic_bytes}: it could never fit, whatever the overflow. */
  LARGER_THAN_TOPIC,
  /** No such topic and topics are not created on first use. */
  UNKNOWN_TOPIC,
  /** The topic would be new and the broker has {@link Quotas#maxTopics()} topics. */
  TOO_MANY_TOPICS,
  /** The broker is draining for shutdown. */
  SHUTTING_DOWN,
  /** Storage could not keep it; the detail says why. */
  STORAGE_FAILED
}
