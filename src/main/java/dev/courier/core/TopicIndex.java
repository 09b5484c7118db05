package dev.courier.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every topic of a broker, in creation order (for totals, retention and checkpoints) and in name
 * order (stats pages walk it from a cursor that stays valid as topics appear), with the quotas on
 * how many topics and groups clients may create. Single-threaded like the broker that owns it.
 */
final class TopicIndex {
  /** The broker's logger: these lines are the broker's, as they were before this class existed. */
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final NavigableMap<String, Topic> topicsByName = new TreeMap<>();
  private Quotas quotas = Quotas.UNLIMITED;
  /** Whether the broker has warned that declared or recovered topics went past max_topics. */
  private boolean warnedTopicsOverQuota;

  void useQuotas(Quotas quotas) {
    this.quotas = quotas;
  }

  Topic get(String name) {
    return topics.get(name);
  }

  /** The group of this topic, or null when either does not exist. */
  Group existingGroup(String topicName, String groupName) {
    Topic topic = topics.get(topicName);
    return topic == null ? null : topic.existingGroup(groupName);
  }

  boolean contains(String name) {
    return topics.containsKey(name);
  }

  int size() {
    return topics.size();
  }

  /** In creation order. */
  Collection<Topic> all() {
    return topics.values();
  }

  /** Adds a declared, recovered or first-used topic; see {@link #warnIfTopicsOverQuota()}. */
  void add(Topic topic) {
    topics.put(topic.name, topic);
    topicsByName.put(topic.name, topic);
  }

  /**
   * Declared and recovered topics are kept past {@code max_topics} (refusing what is on disk would
   * lose confirmed messages): said once, at the first one past it.
   */
  void warnIfTopicsOverQuota() {
    if (!warnedTopicsOverQuota && topics.size() > quotas.maxTopics()) {
      warnedTopicsOverQuota = true;
      log.warn("{} topics declared or recovered, more than max_topics={}: they all keep working, "
          + "new topics are refused", topics.size(), quotas.maxTopics());
    }
  }

  /** Whether a client may have one more topic created. */
  boolean hasRoomForTopic() {
    return topics.size() < quotas.maxTopics();
  }

  /** Whether a client may have {@code topic} create the group it names; an existing one is never refused. */
  boolean hasRoomForGroup(Topic topic, String groupName) {
    return topic.existingGroup(groupName) != null || topic.groups().size() < quotas.maxGroupsPerTopic();
  }

  /** A restored topic keeps every group it had; past the quota, with a WARN. */
  void warnIfGroupsOverQuota(String topicName, int groups) {
    if (groups > quotas.maxGroupsPerTopic()) {
      log.warn("topic={} restored with {} groups, more than max_groups_per_topic={}: they keep working, "
          + "new groups are refused", topicName, groups, quotas.maxGroupsPerTopic());
    }
  }

  /** See {@link Broker#topicStats(String, int, PageBudget)}. */
  TopicStatsPage page(String after, int maxTopics, PageBudget budget, long nowMillis) {
    NavigableMap<String, Topic> rest = after == null ? topicsByName : topicsByName.tailMap(after, false);
    List<TopicStats> page = new ArrayList<>();
    for (Topic topic : rest.values()) {
      if (page.size() >= maxTopics) {
        break;
      }
      TopicStats stats = topic.stats(nowMillis);
      if (!budget.fits(stats) && !page.isEmpty()) {
        break;
      }
      page.add(stats);
    }
    String last = page.isEmpty() ? null : page.get(page.size() - 1).name();
    return new TopicStatsPage(page, last != null && topicsByName.higherKey(last) != null ? last : null);
  }

  /** Figures of every topic, in creation order. */
  List<TopicStats> stats(long nowMillis) {
    List<TopicStats> result = new ArrayList<>(topics.size());
    for (Topic topic : topics.values()) {
      result.add(topic.stats(nowMillis));
    }
    return result;
  }

  /** For each topic, the oldest message some group still needs: storage may delete what is below. */
  Map<String, Long> firstNeededIds() {
    Map<String, Long> result = new LinkedHashMap<>();
    for (Topic topic : topics.values()) {
      result.put(topic.name, topic.firstNeededId());
    }
    return result;
  }
}
