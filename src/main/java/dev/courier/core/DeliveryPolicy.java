package dev.courier.core;

/**
 * The delivery rules the core enforces.
 *
 * @param ackTimeoutNanos how long a delivery may stay unacknowledged before it is requeued
 * @param maxInFlightPerConsumer the most unacknowledged messages one consumer holds at once
 * @param maxDeliveries the failed deliveries after which a message is dead-lettered, for groups
 *     created without their own; 0: never (the seed's behaviour)
 */
public record DeliveryPolicy(long ackTimeoutNanos, int maxInFlightPerConsumer, int maxDeliveries) {
  /** No delivery limit. */
  public DeliveryPolicy(long ackTimeoutNanos, int maxInFlightPerConsumer) {
    this(ackTimeoutNanos, maxInFlightPerConsumer, 0);
  }

  public DeliveryPolicy {
    if (maxDeliveries < 0) {
      throw new IllegalArgumentException("maxDeliveries must not be negative, was " + maxDeliveries);
    }
    if (ackTimeoutNanos <= 0) {
      throw new IllegalArgumentException("ackTimeoutNanos must be positive, was " + ackTimeoutNanos);
    }
    if (maxInFlightPerConsumer < 1) {
      throw new IllegalArgumentException("maxInFlightPerConsumer must be at least 1, was " + maxInFlightPerConsumer);
    }
  }
}
