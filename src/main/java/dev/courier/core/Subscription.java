package dev.courier.core;

/**
 * A registered consumer as the broker tracks it: the handle a connection keeps and passes back
 * with each ack. Mutable, and touched only on the broker's owner thread.
 */
public final class Subscription {
  final Consumer consumer;
  final Group group;
  int inFlight;
  /** Most unacked messages it may hold: its prefetch or credit, capped by the broker's limit. */
  int credit;
  boolean active = true;

  Subscription(Consumer consumer, Group group, int credit) {
    this.consumer = consumer;
    this.group = group;
    this.credit = credit;
  }

  public int inFlight() {
    return inFlight;
  }

  public int credit() {
    return credit;
  }

  public String topic() {
    return group.topic.name;
  }

  public String group() {
    return group.name;
  }

  public String name() {
    return consumer.name();
  }

  boolean hasCredit() {
    return inFlight < credit;
  }
}
