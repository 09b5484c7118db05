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
      Position replayed = new Position(position.nextId());
      position.pending().forEach(p -> replayed.pending.put(p.id(), p.attempts()));
      replayed.ackedAhead.addAll(position.ackedAhead());
      groups.put(position.group(), replayed);
    }
  }

  /** A group created twice keeps its first start: the later event is a duplicate. */
  public void groupCreated(String group, long startId) {
    groups.putIfAbsent(group, new Position(startId));
  }

  /** An ack settles a pending delivery, or, at or past the group's next id, one taken after the checkpoint. */
  public void acked(String group, long messageId) {
    Position position = groups.get(group);
    if (position != null && position.pending.remove(messageId) == null && messageId >= position.nextId) {
      position.ackedAhead.add(messageId);
    }
  }

  public void requeued(String group, long messageId, int attempts) {
    Position position = groups.get(group);
    if (position != null) {
      position.requeued(messageId, attempts);
    }
  }

  /** Where each group stands, in the order they were created; events of unknown groups were ignored. */
  public List<GroupPosition> positions() {
    List<GroupPosition> result = new ArrayList<>(groups.size());
    groups.forEach((name, position) -> result.add(position.toGroupPosition(name)));
    return result;
  }

  private static final class Position {
    long nextId;
    final TreeMap<Long, Integer> pending = new TreeMap<>();
    final Set<Long> ackedAhead = new HashSet<>();

    Position(long nextId) {
      this.nextId = nextId;
    }

    /**
     * A requeue proves the group took every id up to this one. Those it took after the checkpoint
     * and whose ack was not seen are pending again, with no attempt known.
     */
    void requeued(long id, int attempts) {
      for (long taken = nextId; taken < id; taken++) {
        if (!ackedAhead.remove(taken)) {
          pending.put(taken, 0);
        }
      }
      if (id >= nextId) {
        ackedAhead.remove(id);
        nextId = id + 1;
      }
      pending.put(id, attempts);
    }

    GroupPosition toGroupPosition(String name) {
      List<GroupPosition.PendingDelivery> list = new ArrayList<>(pending.size());
      pending.forEach((id, attempts) -> list.add(new GroupPosition.PendingDelivery(id, attempts)));
      return new GroupPosition(name, nextId, list, ackedAhead);
    }
  }
}
