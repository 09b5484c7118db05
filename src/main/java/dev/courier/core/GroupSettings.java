package dev.courier.core;

/**
 * What a group was created with, kept with the group (journaled, checkpointed) so that a restart
 * does not change it: the deliveries a message may fail before it is dead-lettered, and where dead
 * letters go. Null means the broker's default: {@code max_deliveries}, and {@code <topic>.dlq}.
 */
public record GroupSettings(Integer maxDeliveries, String deadLetterTopic) {
  /** The broker's defaults: what every seed client's group gets. */
  public static final GroupSettings DEFAULT = new GroupSettings(null, null);

  /** The suffix of a topic's default dead-letter topic. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  public GroupSettings {
    if (maxDeliveries != null && maxDeliveries < 0) {
      throw new IllegalArgumentException("maxDeliveries must not be negative, was " + maxDeliveries);
    }
  }

  public boolean isDefault() {
    return maxDeliveries == null && deadLetterTopic == null;
  }

  /** Whether a register asking for {@code asked} may join a group created with these settings. */
  boolean admits(GroupSettings asked) {
    return (asked.maxDeliveries == null || asked.maxDeliveries.equals(maxDeliveries))
        && (asked.deadLetterTopic == null || asked.deadLetterTopic.equals(deadLetterTopic));
  }
}
