package dev.courier.core;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's side of what is stored: rebuilding a topic from what storage recovered, taking
 * back what storage read from disk, reading history, and telling a checkpoint where groups stand.
 * Kept apart from {@link Broker} because none of it moves a group: it runs before any client, on
 * storage's outcomes, or as a read. Same thread as the broker; nothing locks.
 */
final class Recovery {
  /** The broker's logger: these lines were always the broker's, and operators grep for them so. */
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final TopicIndex topics;
  private final CoreContext context;
  private final TopicLimits topicLimits;

  Recovery(TopicIndex topics, CoreContext context, TopicLimits topicLimits) {
    this.topics = topics;
    this.context = context;
    this.topicLimits = topicLimits;
  }

  /** See {@link Broker#restore}. */
  void restore(RestoredTopic restored) {
    if (topics.contains(restored.name())) {
      throw new IllegalStateException("topic " + restored.name() + " exists already");
    }
    Topic topic = new Topic(context, restored.name(), topicLimits);
    topics.add(topic);
    topic.restore(restored);
    log.info("topic={} restored: {} messages in memory, {} on disk only, {} groups, next msg={}", restored.name(),
        restored.resident().size(), restored.pagedSizes().length, restored.groups().size(), restored.nextId());
    // What is on disk is kept whatever the quotas say: refusing it would lose confirmed messages.
    topics.warnIfTopicsOverQuota();
    topics.warnIfGroupsOverQuota(restored.name(), restored.groups().size());
  }

  /** See {@link Broker#loaded}: a topic or group deleted meanwhile takes nothing. */
  void loaded(String topicName, String group, long requestedId, List<Message> messages) {
    Topic topic = topics.get(topicName);
    if (topic != null && group == null) {
      topic.loaded(requestedId, messages);
    } else if (topic != null && topic.existingGroup(group) != null) {
      topic.existingGroup(group).replayLoaded(messages);
    }
  }

  /** See {@link Broker#storedFrom}. */
  void storedFrom(String topicName, long firstStoredId) {
    Topic topic = topics.get(topicName);
    if (topic != null) {
      topic.storedFrom(firstStoredId);
    }
  }

  /** See {@link Broker#nextId}: 1 for a topic not there yet. */
  long nextId(String topicName) {
    Topic topic = topics.get(topicName);
    return topic == null ? 1 : topic.retained.endId();
  }

  /** See {@link Broker#positions}. */
  List<GroupPosition> positions(String topicName) {
    Topic topic = topics.get(topicName);
    return topic == null ? List.of() : topic.positions();
  }

  /** See {@link Broker#dedupKeys}. */
  List<DedupKey> dedupKeys(String topicName) {
    Topic topic = topics.get(topicName);
    return topic == null ? List.of() : topic.dedup.keys(context.clock.wallMillis(), context.dedupWindowMillis);
  }

  /** See {@link Broker#history}. */
  void history(String topicName, long fromId, int limit, long maxBytes, HistoryListener reply) {
    if (limit <= 0) {
      reply.read(List.of()); // a log reads at least one record: do not ask it for none
      return;
    }
    context.storage.history(topicName, fromId, limit, maxBytes, reply);
  }

  /** See {@link Broker#retainedMessages}. */
  List<Message> retainedMessages(String topicName, long fromId, int limit) {
    Topic topic = topics.get(topicName);
    return topic == null ? List.of() : topic.retainedMessages(fromId, limit);
  }
}
