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
  /** Admitted publishes not yet committed (durable mode: on their way to disk); they count as held. */
  private int pendingMessages;
  private long pendingBytes;

  Topic(Broker broker, String name, TopicLimits limits) {
    this.broker = broker;
    this.name = name;
    this.limits = limits;
  }

  boolean isFull() {
    return retained.size() + pendingMessages >= limits.maxMessages()
        || retainedBytes + pendingBytes >= limits.maxBytes();
  }

  void admitted(long sizeBytes) {
    pendingMessages++;
    pendingBytes += sizeBytes;
  }

  void abandoned(long sizeBytes) {
    pendingMessages--;
    pendingBytes -= sizeBytes;
    wakeIfRoom();
  }

  TopicLimits limits() {
    return limits;
  }

  /** Makes an admitted message visible to the groups, under the id its storage gave it. */
  Message commit(Publication publication, long id, long timestampMillis) {
    if (id != retained.endId()) {
      throw new IllegalStateException("topic " + name + " expected id " + retained.endId() + ", storage gave " + id);
    }
    Message message = new Message(id, name, publication.payload(), publication.key(),
        publication.headers(), publication.base64(), timestampMillis);
    pendingMessages--;
    pendingBytes -= message.sizeBytes();
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
      RetainedMessages.Stored stored = retained.get(id);
      if (stored.message != null) {
        stored.unackedGroups++;
      }
    }
    group = new Group(broker, this, groupName, startId);
    groups.put(groupName, group);
    broker.journal().groupCreated(name, groupName, startId);
    trimHead();
    return group;
  }

  /**
   * Rebuilds this (new, empty) topic after a restart: its retained messages, dense from the first,
   * and where each group stood. Nothing is journaled: it all came from the journal.
   */
  void restore(long nextId, List<Message> messages, List<GroupPosition> positions) {
    retained.restartAt(messages.isEmpty() ? nextId : messages.get(0).id());
    for (Message message : messages) {
      fillGapsBelow(message.id());
      retained.append(new RetainedMessages.Stored(message));
      retainedBytes += message.sizeBytes();
      published++;
    }
    fillGapsBelow(nextId);
    if (retained.endId() != nextId) {
      throw new IllegalArgumentException("topic " + name + ": restored messages end at " + retained.endId()
          + " but the log continues at " + nextId);
    }
    for (GroupPosition position : positions) {
      Group group = new Group(broker, this, position.group(), Math.max(position.nextId(), retained.firstId()));
      groups.put(position.group(), group);
      group.restore(position);
    }
    trimHead();
  }

  /** Ids whose record recovery had to skip as corrupt: empty slots that every group passes over. */
  private void fillGapsBelow(long id) {
    while (retained.endId() < id) {
      retained.append(new RetainedMessages.Stored(null));
    }
  }

  /** Where every group stands, for a checkpoint. */
  List<GroupPosition> positions() {
    List<GroupPosition> positions = new ArrayList<>(groups.size());
    for (Group group : groups.values()) {
      positions.add(group.position());
    }
    return positions;
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

  /** The oldest message still held; everything below it was acked by every group. */
  long firstRetainedId() {
    return retained.firstId();
  }

  private void trimHead() {
    if (groups.isEmpty()) {
      return;
    }
    RetainedMessages.Stored first;
    while ((first = retained.first()) != null && first.unackedGroups == 0) {
      retainedBytes -= first.message == null ? 0 : first.message.sizeBytes();
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
