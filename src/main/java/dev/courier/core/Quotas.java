package dev.courier.core;

/**
 * How many topics the broker, and groups each topic, may create on clients' request. Each topic
 * and group costs memory and, with durable storage, files and journal records: without a cap one
 * client naming new topics or groups in a loop exhausts the broker. Topics declared in the
 * {@code topics} setting and topics or groups recovered from disk count, but are never refused.
 *
 * @param maxTopics topics at most before a publish or register naming a new one is refused
 * @param maxGroupsPerTopic groups one topic may have before a register naming a new one is refused
 */
public record Quotas(int maxTopics, int maxGroupsPerTopic) {
  public static final Quotas UNLIMITED = new Quotas(Integer.MAX_VALUE, Integer.MAX_VALUE);

  public Quotas {
    if (maxTopics < 1 || maxGroupsPerTopic < 1) {
      throw new IllegalArgumentException("quotas must be positive");
    }
  }
}
