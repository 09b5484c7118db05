package dev.courier.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A named, ordered stream of messages and the groups reading it. A message is retained until every
 * group has acked it; while the topic has no group at all, everything is retained, so the first
 * group gets what was published before it (as the seed's single queue does).
 */
final class Topic {
  final String name;
  final RetainedMessages retained = new RetainedMessages();
  private final Broker broker;
  private final TopicLimits limits;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  /** Producers paused on this topic, resumed once it falls below the low watermark. */
  private final LinkedHashSet<Runnable> waitingForSpace = new LinkedHashSet<>();
  private long retainedBytes;
  private long published;

  Topic(Broker broker, String name, TopicLimits limits) {
    this.broker = broker;
    this.name = name;
    this.limits = limits;
  }

  boolean isFull() {
    return retained.size() >= limits.maxMessages() || retainedBytes >= limits.maxBytes();
  }

  TopicLimits limits() {
    return limits;
  }

  Message append(Publication publication) {
    Message message = new Message(retained.endId(), name, publication.payload(), publication.key(),
        publication.headers(), publication.base64(), broker.nowMillis());
    RetainedMessages.Stored stored = new RetainedMessages.Stored(message);
    stored.unackedGroups = groups.size();
    retained.append(stored);
    retainedBytes += message.sizeBytes();
    published++;
    for (Group group : groups.values()) {
      group.dispatch();
    }
    return message;
  }

  /** The group with this name, created if new: from the oldest retained message, or from now on. */
  Group group(String groupName, boolean fromLatest) {
    Group group = groups.get(groupName);
    if (group != null) {
      return group;
    }
    long startId = fromLatest ? retained.endId() : retained.firstId();
    for (long id = startId; id < retained.endId(); id++) {
      retained.get(id).unackedGroups++;
    }
    group = new Group(broker, this, groupName, startId);
    groups.put(groupName, group);
    trimHead();
    return group;
  }

  Collection<Group> groups() {
    return groups.values();
  }

  /** One group is done with a message; free what every group is done with. */
  void release(RetainedMessages.Stored stored) {
    stored.unackedGroups--;
    if (stored.unackedGroups == 0) {
      trimHead();
    }
  }

  void awaitSpace(Runnable resume) {
    waitingForSpace.add(resume);
    wakeIfRoom();
  }

  void cancelAwaitSpace(Runnable resume) {
    waitingForSpace.remove(resume);
  }

  TopicStats stats(long nowMillis) {
    List<GroupStats> groupStats = new ArrayList<>(groups.size());
    for (Group group : groups.values()) {
      groupStats.add(group.stats(nowMillis));
    }
    return new TopicStats(name, published, retained.size(), retainedBytes, isFull(), groupStats);
  }

  long published() {
    return published;
  }

  private void trimHead() {
    if (groups.isEmpty()) {
      return;
    }
    RetainedMessages.Stored first;
    while ((first = retained.first()) != null && first.unackedGroups == 0) {
      retainedBytes -= first.message.sizeBytes();
      retained.removeFirst();
    }
    wakeIfRoom();
  }

  private void wakeIfRoom() {
    if (waitingForSpace.isEmpty()
        || retained.size() >= limits.maxMessages() * TopicLimits.LOW_WATERMARK
        || retainedBytes >= limits.maxBytes() * TopicLimits.LOW_WATERMARK) {
      return;
    }
    List<Runnable> resumes = new ArrayList<>(waitingForSpace);
    waitingForSpace.clear();
    resumes.forEach(Runnable::run);
  }
}
