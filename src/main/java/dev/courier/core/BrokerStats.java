package dev.courier.core;

import java.util.Collection;

/** A snapshot of the broker's counters, taken on its owner thread. */
public record BrokerStats(
    long published,
    long delivered,
    long redelivered,
    long acked,
    int ready,
    int inFlight,
    int consumers,
    boolean draining) {

  /**
   * The totals of these topics; {@code ready} counts what waits for a topic's first group too.
   * Reads counters only, so a stats request costs no per-topic snapshot beyond its page.
   */
  static BrokerStats totals(Collection<Topic> topics, int inFlight, boolean draining) {
    long published = 0;
    long delivered = 0;
    long redelivered = 0;
    long acked = 0;
    long ready = 0;
    int consumers = 0;
    for (Topic topic : topics) {
      published += topic.published();
      if (topic.groups().isEmpty()) {
        ready += topic.retained.size();
      }
      for (Group group : topic.groups()) {
        delivered += group.delivered;
        redelivered += group.redelivered;
        acked += group.acked;
        ready += group.readyCount();
        consumers += group.consumerCount();
      }
    }
    return new BrokerStats(published, delivered, redelivered, acked, (int) Math.min(Integer.MAX_VALUE, ready),
        inFlight, consumers, draining);
  }
}
