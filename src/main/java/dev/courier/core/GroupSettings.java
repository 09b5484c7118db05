package dev.courier.core;

/**
 * What a group was created with, kept with the group (journaled, checkpointed) so that a restart
 * does not change it: the deliveries a message may fail before it is dead-lettered, where dead
 * letters go, and its {@link Ordering}. Null means the broker's default: {@code max_deliveries},
 * {@code <topic>.dlq}, and no ordering ({@link Ordering#NONE}).
 */
public record GroupSettings(Integer maxDeliveries, String deadLetterTopic, Ordering ordering) {
  /** The broker's defaults: what every seed client's group gets. */
  public static final GroupSettings DEFAULT = new GroupSettings(null, null, null);

  /** The suffix of a topic's default dead-letter topic. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  public GroupSettings(Integer maxDeliveries, String deadLetterTopic) {
    this(maxDeliveries, deadLetterTopic, null);
  }

  public GroupSettings {
    if (maxDeliveries != null && maxDeliveries < 0) {
      throw new IllegalArgumentException("maxDeliveries must not be negative, was " + maxDeliveries);
    }
  }

  public boolean isDefault() {
    return maxDeliveries == null && deadLetterTopic == null && effectiveOrdering() == Ordering.NONE;
  }

  /** The group's ordering: {@link Ordering#NONE} unless it was created with another. */
  public Ordering effectiveOrdering() {
    return ordering == null ? Ordering.NONE : ordering;
  }

  /** Whether a register asking for {@code asked} may join a group created with these settings. */
  boolean admits(GroupSettings asked) {
    return (asked.maxDeliveries == null || asked.maxDeliveries.equals(maxDeliveries))
        && (asked.deadLetterTopic == null || asked.deadLetterTopic.equals(deadLetterTopic));
  }

  /**
   * Whether a register asking for {@code asked} agrees with this group's ordering (null: asks for
   * none in particular). Asking for none explicitly is asking: a register that says "none" must not
   * silently join a key-ordered group. Kept apart from {@link #admits}, since a conflict here has
   * its own error code (group_conflict).
   */
  boolean admitsOrdering(GroupSettings asked) {
    return asked.ordering == null || asked.ordering == effectiveOrdering();
  }
}
