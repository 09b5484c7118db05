package dev.courier.storage;

import dev.courier.core.Ordering;
import java.util.Objects;

/**
 * A change to a consumer group's state, logged so a restart can rebuild what each group has acked
 * and how often it has tried each message. The {@link LogRecord} id carrying an event is a
 * sequence number the caller assigns, not a message id; the message id is inside the event.
 */
public sealed interface GroupEvent {

  String group();

  /**
   * The group was created and starts consuming at {@code startId}, with its own
   * {@code maxDeliveries} and {@code deadLetterTopic} (each null: the broker's default) and
   * {@code ordering} (null: none).
   */
  record GroupCreated(String group, long startId, Integer maxDeliveries, String deadLetterTopic, Ordering ordering)
      implements GroupEvent {
    public GroupCreated {
      Objects.requireNonNull(group, "group");
      ordering = ordering == Ordering.NONE ? null : ordering; // one spelling of none: records compare equal
    }

    public GroupCreated(String group, long startId) {
      this(group, startId, null, null, null);
    }

    public GroupCreated(String group, long startId, Integer maxDeliveries, String deadLetterTopic) {
      this(group, startId, maxDeliveries, deadLetterTopic, null);
    }

    boolean hasSettings() {
      return maxDeliveries != null || deadLetterTopic != null || ordering != null;
    }
  }

  /** Message {@code id} was acked in the group. */
  record Acked(String group, long id) implements GroupEvent {
    public Acked {
      Objects.requireNonNull(group, "group");
    }
  }

  /** An operator deleted the group: a recovery forgets everything journaled of it before. */
  record GroupDeleted(String group) implements GroupEvent {
    public GroupDeleted {
      Objects.requireNonNull(group, "group");
    }
  }

  /**
   * Message {@code id} went back to the group's ready queue after {@code attempts} deliveries, to
   * be retried not before {@code notBeforeMillis} (wall time; 0: at once).
   */
  record Requeued(String group, long id, int attempts, long notBeforeMillis) implements GroupEvent {
    public Requeued {
      Objects.requireNonNull(group, "group");
    }

    public Requeued(String group, long id, int attempts) {
      this(group, id, attempts, 0);
    }
  }

  /**
   * A topic event, of no one group: the delayed publish {@code id}, due at {@code dueMillis}, became
   * due and went to every group that had passed it (the others reach it in their turn).
   */
  record DelayDue(long id, long dueMillis) implements GroupEvent {
    @Override
    public String group() {
      return "";
    }
  }
}
