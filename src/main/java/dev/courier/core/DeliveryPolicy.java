package dev.courier.core;

/**
 * The delivery rules the core enforces.
 *
 * @param ackTimeoutNanos how long a delivery may stay unacknowledged before it is requeued
 * @param maxInFlightPerConsumer the most unacknowledged messages one consumer holds at once
 */
public record DeliveryPolicy(long ackTimeoutNanos, int maxInFlightPerConsumer) {
  public DeliveryPolicy {
    if (ackTimeoutNanos <= 0) {
      throw new IllegalArgumentException("ackTimeoutNanos must be positive, was " + ackTimeoutNanos);
    }
    if (maxInFlightPerConsumer < 1) {
      throw new IllegalArgumentException("maxInFlightPerConsumer must be at least 1, was " + maxInFlightPerConsumer);
    }
  }
}
