package dev.courier.storage;

import dev.courier.core.GroupPosition;
import dev.courier.core.Message;
import dev.courier.core.RestoredTopic;
import java.util.List;

/** A topic as recovery found it: what the core restores, and the report of its message log. */
public record RecoveredTopic(RestoredTopic topic, RecoveryReport messagesReport) {
  public String name() {
    return topic.name();
  }

  public long nextId() {
    return topic.nextId();
  }

  /** The messages some group still needs, as far as the memory budget goes. */
  public List<Message> messages() {
    return topic.resident();
  }

  public List<GroupPosition> groups() {
    return topic.groups();
  }
}
