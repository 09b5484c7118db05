package dev.courier.core;

/**
 * A registered consumer as the broker tracks it: the handle a connection keeps and passes back
 * with each ack. Mutable, and touched only on the broker's owner thread.
 */
public final class Subscription {
  final Consumer consumer;
  final long sequence;
  int inFlight;
  boolean active = true;

  Subscription(Consumer consumer, long sequence) {
    this.consumer = consumer;
    this.sequence = sequence;
  }

  public int inFlight() {
    return inFlight;
  }

  public String name() {
    return consumer.name();
  }
}
