package dev.courier.core;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a group's new messages come from, and how far it has read: the topic's messages from
 * {@link #nextId} on, passing over the ids acked before a restart ({@code ackedAhead}) and lost
 * slots; before those, for a new group that starts at the earliest, a replay from storage of the
 * older messages every group had acked, [replayNextId, replayEndId), read in chunks. The group's
 * delivery side ({@link Group}) takes entries from here; restore and checkpoints read it.
 */
final class GroupCursor {
  private static final Logger log = LoggerFactory.getLogger(Group.class);

  private final CoreContext context;
  private final Topic topic;
  private final String group;
  /** Next message of the topic this group has not taken yet. */
  private long nextId;
  /** After a restart: ids at or above {@link #nextId} whose ack was journaled; skipped, not delivered. */
  private Set<Long> ackedAhead = Set.of();
  private long replayNextId;
  private long replayEndId;
  private final ArrayDeque<Entry> replayBuffer = new ArrayDeque<>(1);
  private boolean replayLoading;
  /** The entry {@link #nextOrLoad()} last offered from the topic, kept so that a retry allocates nothing. */
  private Entry offered;

  GroupCursor(CoreContext context, Topic topic, String group, long nextId) {
    this.context = context;
    this.topic = topic;
    this.group = group;
    this.nextId = nextId;
  }

  long nextId() {
    return nextId;
  }

  void startReplay(long fromId, long toId) {
    replayNextId = fromId;
    replayEndId = toId;
    log.info("topic={} group={} replays msg={}..{} from storage first", topic.name, group, fromId, toId - 1);
  }

  private boolean isReplaying() {
    return replayNextId < replayEndId || !replayBuffer.isEmpty();
  }

  /**
   * Passes over what needs no delivery now: messages acked before a restart (released here), lost
   * slots, and delayed publishes not due yet.
   */
  void passOverDone() {
    while (nextId < topic.retained.endId()) {
      RetainedMessages.Stored stored = topic.retained.get(nextId);
      if (stored.lost || stored.delayed) {
        // A delay not due yet is not taken: it comes back to this group when due (TopicDelays).
        nextId = topic.retained.nextAfter(nextId);
      } else if (!ackedAhead.isEmpty() && ackedAhead.remove(nextId)) {
        topic.release(stored);
        topic.positionsChanged();
        nextId++;
      } else {
        return;
      }
    }
  }

  /**
   * The next new entry to deliver, or null: nothing new, or it is not in memory, in which case
   * storage has been asked for it and the topic (or {@link #replayLoaded}) dispatches again.
   * Call {@link #passOverDone()} first.
   */
  Entry nextOrLoad() {
    if (!replayBuffer.isEmpty()) {
      return replayBuffer.peekFirst();
    }
    if (replayNextId < replayEndId) {
      requestReplay(); // older messages first
      return null;
    }
    if (nextId >= topic.retained.endId()) {
      return null;
    }
    RetainedMessages.Stored stored = topic.retained.get(nextId);
    if (stored.message == null) {
      topic.requestLoad(nextId); // paged out: storage reads it back
      return null;
    }
    if (offered == null || offered.id != nextId) {
      offered = new Entry(stored, nextId);
    }
    return offered;
  }

  /** The group delivered what {@link #nextOrLoad()} offered. */
  void take(Entry entry) {
    if (!replayBuffer.isEmpty() && replayBuffer.peekFirst() == entry) {
      replayBuffer.pollFirst();
    } else {
      offered = null;
      nextId++;
    }
  }

  private void requestReplay() {
    if (!replayLoading) {
      replayLoading = true;
      context.storage.load(topic.name, group, replayNextId,
          (int) Math.min(Broker.LOAD_CHUNK_MESSAGES, replayEndId - replayNextId), topic.loadChunkBytes());
    }
  }

  /** Storage read back a chunk of this group's replay; the group dispatches next. */
  void replayLoaded(List<Message> messages) {
    replayLoading = false;
    topic.positionsChanged();
    long before = replayNextId;
    for (Message message : messages) {
      if (message.id() >= replayNextId && message.id() < replayEndId) {
        RetainedMessages.Stored stored = new RetainedMessages.Stored(message);
        stored.unackedGroups = 1; // this group's own copy, outside the topic's window
        replayBuffer.addLast(new Entry(stored, message.id()));
        replayNextId = message.id() + 1;
      }
    }
    if (replayNextId == before) {
      // Storage has nothing left there (retention deleted it meanwhile): the replay is over.
      log.warn("topic={} group={} replay found nothing from msg={}; continuing with msg={}", topic.name, group,
          before, replayEndId);
      replayNextId = replayEndId;
    }
  }

  /**
   * Passes over every new message, as if delivered and acked (see {@link Group#purge}): the replay
   * still to come, and the topic's messages from {@link #nextId} on. Returns how many.
   */
  long purge() {
    long purged = replayBuffer.size() + Math.max(0, replayEndId - replayNextId);
    replayBuffer.clear();
    replayNextId = replayEndId;
    for (long id = nextId; id < topic.retained.endId(); id = topic.retained.nextAfter(id)) {
      RetainedMessages.Stored stored = topic.retained.get(id);
      if (stored == null || stored.lost || stored.delayed) {
        continue; // a pending delay is not ready: it comes when due, purged or not
      }
      if (!ackedAhead.isEmpty() && ackedAhead.remove(id)) {
        topic.release(stored);
        continue;
      }
      topic.release(stored);
      purged++;
    }
    nextId = topic.retained.endId();
    offered = null;
    return purged;
  }

  /** New messages ready for the group: the replay still to come, then the topic's from {@link #nextId}. */
  long readyCount() {
    return replayBuffer.size() + Math.max(0, replayEndId - replayNextId) + topic.retained.countFrom(nextId)
        - ackedAhead.size() - topic.delays.pendingFrom(nextId);
  }

  /** The lowest id the replay still needs from storage, or {@link Long#MAX_VALUE}. */
  long lowestNeededId() {
    long lowest = replayNextId < replayEndId ? replayNextId : Long.MAX_VALUE;
    for (Entry entry : replayBuffer) {
      lowest = Math.min(lowest, entry.id);
    }
    return lowest;
  }

  /** The oldest new message in memory, for the group's age figure; null when none. */
  Message oldestNew() {
    RetainedMessages.Stored stored = topic.retained.get(nextId);
    return stored == null ? null : stored.message;
  }

  /**
   * After a restart: the topic's messages from here on count as unacked by this group, but those
   * whose ack was journaled ahead of the checkpoint, which are passed over when their turn comes.
   */
  void restore(GroupPosition position) {
    for (long id = Math.max(nextId, topic.retained.firstId()); id < topic.retained.endId();
        id = topic.retained.nextAfter(id)) {
      RetainedMessages.Stored stored = topic.retained.get(id);
      if (!stored.lost) {
        stored.unackedGroups++;
      }
    }
    for (long id : position.ackedAhead()) {
      if (id >= nextId && id < topic.retained.endId()) {
        if (ackedAhead.isEmpty()) {
          ackedAhead = new HashSet<>();
        }
        ackedAhead.add(id);
      }
    }
  }

  /** The replayed entries not delivered yet (pending too: taken from storage) go into {@code pending}. */
  void addReplayed(List<GroupPosition.PendingDelivery> pending) {
    for (Entry entry : replayBuffer) {
      pending.add(new GroupPosition.PendingDelivery(entry.id, entry.attempts));
    }
  }

  /** The next id a checkpoint records: the replay's while it lasts. */
  long positionNextId() {
    return replayNextId < replayEndId ? replayNextId : nextId;
  }

  /** A message not for this group (a redrive's for another): passed over as if acked, which is journaled. */
  void ackAhead(long id) {
    if (!(ackedAhead instanceof HashSet)) {
      ackedAhead = new HashSet<>();
    }
    ackedAhead.add(id);
    topic.positionsChanged();
    context.storage.acked(topic.name, group, id);
  }

  Set<Long> ackedAhead() {
    return ackedAhead;
  }

  boolean isIdle() {
    return !isReplaying();
  }
}
