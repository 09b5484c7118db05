package dev.courier.client;

import dev.courier.protocol.Frame;

/**
 * How a consumer subscribes. {@code prefetch}: deliveries the broker may hand it before acks
 * (null: the broker's {@code max_in_flight_per_consumer}); 1 gives strict order within the group
 * at the cost of a round trip per message. {@code start}: where a NEW group begins (earliest, the
 * default, or latest); an existing group continues where it is. {@code autoAck}: ack each delivery
 * once the handler returns without throwing (default true). {@code maxDeliveries} and
 * {@code deadLetterTopic}: for a new group, attempts before a message is dead-lettered and where to
 * (null: the broker's settings; see docs/PROTOCOL.md). {@code ordering}: for a new group, none (the
 * default), key (one message of a key at a time, in publish order, across the group's consumers) or
 * single (one active consumer, the others standing by); fixed when the group is created, and a
 * subscribe asking an existing group for another fails with {@code group_conflict} (null: whatever
 * the group has, none for a new one).
 */
public record SubscribeOptions(Integer prefetch, Frame.Start start, boolean autoAck, Integer maxDeliveries,
    String deadLetterTopic, Frame.Ordering ordering) {
  public SubscribeOptions {
    if (prefetch != null && prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
    }
    if (maxDeliveries != null && maxDeliveries < 0) {
      throw new IllegalArgumentException("maxDeliveries must be >= 0, was " + maxDeliveries);
    }
  }

  /** The broker's prefetch, earliest start, auto-ack, the broker's dead-letter rules. */
  public static SubscribeOptions defaults() {
    return new SubscribeOptions(null, null, true, null, null, null);
  }

  public SubscribeOptions withPrefetch(int prefetch) {
    return new SubscribeOptions(prefetch, start, autoAck, maxDeliveries, deadLetterTopic, ordering);
  }

  /** Only messages published after the group is created (for a new group). */
  public SubscribeOptions fromLatest() {
    return new SubscribeOptions(prefetch, Frame.Start.LATEST, autoAck, maxDeliveries, deadLetterTopic, ordering);
  }

  public SubscribeOptions withAutoAck(boolean autoAck) {
    return new SubscribeOptions(prefetch, start, autoAck, maxDeliveries, deadLetterTopic, ordering);
  }

  public SubscribeOptions withDeadLetters(int maxDeliveries, String deadLetterTopic) {
    return new SubscribeOptions(prefetch, start, autoAck, maxDeliveries, deadLetterTopic, ordering);
  }

  /** Creates the group with this ordering (docs/PROTOCOL.md "Ordering"). */
  public SubscribeOptions withOrdering(Frame.Ordering ordering) {
    return new SubscribeOptions(prefetch, start, autoAck, maxDeliveries, deadLetterTopic, ordering);
  }
}
