package dev.courier.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the group journal means, in the one place that says it: folds a topic's last checkpoint
 * and the group events journaled after it (the calls {@link Storage#groupCreated},
 * {@link Storage#acked} and {@link Storage#requeued} made, in order) into where each group
 * stands, for {@link Broker#restore}. Deliveries themselves are not journaled (that would double
 * the writes), so a message taken after the checkpoint and neither acked nor requeued is simply
 * delivered again: at least once. Storage's recovery drives it; it reads no file itself.
 */
public final class JournalReplay {
  private final Map<String, Position> groups = new LinkedHashMap<>();

  public JournalReplay(List<GroupPosition> checkpoint) {
    for (GroupPosition position : checkpoint) {
      Position replayed = new Position(position.nextId(), position.settings());
      replayed.delayedUpTo(position.delayedUpToMillis(), position.delayedUpToId());
      position.pending().forEach(p -> replayed.pending.put(p.id(), p));
      replayed.ackedAhead.addAll(position.ackedAhead());
      groups.put(position.group(), replayed);
    }
  }

  /** A group created twice keeps its first start and settings: the later event is a duplicate. */
  public void groupCreated(String group, long startId, GroupSettings settings) {
    groups.putIfAbsent(group, new Position(startId, settings));
  }

  public void groupCreated(String group, long startId) {
    groupCreated(group, startId, GroupSettings.DEFAULT);
  }

  /** An ack settles a pending delivery, or, at or past the group's next id, one taken after the checkpoint. */
  public void acked(String group, long messageId) {
    Position position = groups.get(group);
    if (position != null && position.pending.remove(messageId) == null && messageId >= position.nextId) {
      position.ackedAhead.add(messageId);
    }
  }

  /** Back to the group's ready messages, to be retried not before {@code notBeforeMillis} (0: at once). */
  public void requeued(String group, long messageId, int attempts, long notBeforeMillis) {
    Position position = groups.get(group);
    if (position != null) {
      position.requeued(messageId, attempts, notBeforeMillis);
    }
  }

  public void requeued(String group, long messageId, int attempts) {
    requeued(group, messageId, attempts, 0);
  }

  /**
   * A delayed publish became due: pending for every group that had passed it (the others take it
   * in their turn), and the topic's delay watermark moves to it, as at runtime ({@link TopicDelays}).
   */
  public void delayDue(long messageId, long dueMillis) {
    for (Position position : groups.values()) {
      if (position.nextId > messageId) {
        position.pending.putIfAbsent(messageId, new GroupPosition.PendingDelivery(messageId, 0));
      }
      position.delayedUpTo(dueMillis, messageId);
    }
  }

  /** The group is gone, with all its checkpoint and journal said of it; a later create starts afresh. */
  public void groupDeleted(String group) {
    groups.remove(group);
  }

  /** Where each group stands, in the order they were created; events of unknown groups were ignored. */
  public List<GroupPosition> positions() {
    List<GroupPosition> result = new ArrayList<>(groups.size());
    groups.forEach((name, position) -> result.add(position.toGroupPosition(name)));
    return result;
  }

  private static final class Position {
    long nextId;
    final GroupSettings settings;
    final TreeMap<Long, GroupPosition.PendingDelivery> pending = new TreeMap<>();
    final Set<Long> ackedAhead = new HashSet<>();
    long delayedUpToMillis;
    long delayedUpToId;

    Position(long nextId, GroupSettings settings) {
      this.nextId = nextId;
      this.settings = settings;
    }

    /**
     * A requeue proves the group took every id up to this one. Those it took after the checkpoint
     * and whose ack was not seen are pending again, with no attempt known.
     */
    void requeued(long id, int attempts, long notBeforeMillis) {
      for (long taken = nextId; taken < id; taken++) {
        if (!ackedAhead.remove(taken)) {
          pending.put(taken, new GroupPosition.PendingDelivery(taken, 0));
        }
      }
      if (id >= nextId) {
        ackedAhead.remove(id);
        nextId = id + 1;
      }
      pending.put(id, new GroupPosition.PendingDelivery(id, attempts, notBeforeMillis));
    }

    void delayedUpTo(long dueMillis, long id) {
      if (dueMillis > delayedUpToMillis || dueMillis == delayedUpToMillis && id > delayedUpToId) {
        delayedUpToMillis = dueMillis;
        delayedUpToId = id;
      }
    }

    GroupPosition toGroupPosition(String name) {
      return new GroupPosition(name, nextId, new ArrayList<>(pending.values()), ackedAhead, settings,
          delayedUpToMillis, delayedUpToId);
    }
  }
}
