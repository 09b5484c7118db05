package dev.courier.core;

/** Whether {@link Broker#subscribe} would take a consumer for a topic and group, and if not why. */
public enum SubscribeCheck {
  ALLOWED,
  /** No such topic and topics are not created on first use. */
  UNKNOWN_TOPIC,
  /** The topic would be new and the broker has {@link Quotas#maxTopics()} topics already. */
  TOO_MANY_TOPICS,
  /** The group would be new and its topic has {@link Quotas#maxGroupsPerTopic()} groups already. */
  TOO_MANY_GROUPS
}
