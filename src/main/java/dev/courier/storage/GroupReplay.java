package dev.courier.storage;

import dev.courier.core.GroupPosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds where each group of a topic stands: its checkpoint, then every group event written
 * after it, in order. Deliveries themselves are not journaled (that would double the writes), so
 * a message taken after the checkpoint and neither acked nor requeued is simply delivered again:
 * at least once.
 */
final class GroupReplay {
  private final Map<String, Position> groups = new LinkedHashMap<>();

  GroupReplay(Checkpoint checkpoint) {
    for (GroupPosition position : checkpoint.positions()) {
      Position replayed = new Position(position.nextId());
      position.pending().forEach(p -> replayed.pending.put(p.id(), p.attempts()));
      replayed.ackedAhead.addAll(position.ackedAhead());
      groups.put(position.group(), replayed);
    }
  }

  void apply(GroupEvent event) {
    if (event instanceof GroupEvent.GroupCreated created) {
      groups.putIfAbsent(created.group(), new Position(created.startId()));
    } else if (event instanceof GroupEvent.Acked acked) {
      Position position = groups.get(acked.group());
      if (position != null && position.pending.remove(acked.id()) == null && acked.id() >= position.nextId) {
        position.ackedAhead.add(acked.id());
      }
    } else if (event instanceof GroupEvent.Requeued requeued) {
      Position position = groups.get(requeued.group());
      if (position != null) {
        position.requeued(requeued.id(), requeued.attempts());
      }
    }
  }

  List<GroupPosition> positions() {
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
