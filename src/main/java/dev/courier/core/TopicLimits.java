package dev.courier.core;

/**
 * How much one topic may hold before producers are held back, and how.
 *
 * @param maxMessages retained messages at most (not yet acked by every group)
 * @param maxBytes retained payload bytes at most (see {@link Message#sizeBytes()})
 * @param overflow what a publish to a full topic gets
 */
public record TopicLimits(long maxMessages, long maxBytes, Overflow overflow) {
  /** Paused producers resume when the topic falls below this share of both limits. */
  public static final double LOW_WATERMARK = 0.9;

  public static final TopicLimits UNBOUNDED = new TopicLimits(Long.MAX_VALUE, Long.MAX_VALUE, Overflow.PAUSE);

  public TopicLimits {
    if (maxMessages < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("topic limits must be positive");
    }
  }

  public enum Overflow {
    /**
     * Stop reading from the producers of a full topic until it drains (back-pressure); a publish
     * that finds no room is held unadmitted by its connection until it fits.
     */
    PAUSE,
    /** Answer each publish to a full topic with {@code topic_full}. */
    REJECT
  }
}
