package dev.courier.core;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator does to a group from outside its clients (the HTTP API's purge, pause and
 * resume): finds the group and lets its own rules do the work, or says why it cannot. Kept apart
 * from {@link Broker}, whose methods are the clients' route.
 */
final class GroupOperations {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private GroupOperations() {
  }

  static GroupChange change(TopicIndex topics, String topicName, String groupName, GroupChange.Action action) {
    Topic topic = topics.get(topicName);
    if (topic == null) {
      return GroupChange.refused(GroupChange.Outcome.UNKNOWN_TOPIC);
    }
    Group group = topic.existingGroup(groupName);
    if (group == null) {
      return GroupChange.refused(GroupChange.Outcome.UNKNOWN_GROUP);
    }
    return switch (action) {
      case PURGE -> GroupChange.done(group.purge());
      case PAUSE -> {
        group.pause();
        log.info("topic={} group={} paused: no deliveries until resumed", topicName, groupName);
        yield GroupChange.done(0);
      }
      case RESUME -> {
        group.resume();
        log.info("topic={} group={} resumed", topicName, groupName);
        yield GroupChange.done(0);
      }
    };
  }

  static Set<String> paused(TopicIndex topics) {
    Set<String> paused = new HashSet<>();
    for (Topic topic : topics.all()) {
      for (Group group : topic.groups()) {
        if (group.isPaused()) {
          paused.add(topic.name + "/" + group.name);
        }
      }
    }
    return paused;
  }
}
