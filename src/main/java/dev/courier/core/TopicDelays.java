package dev.courier.core;

import java.util.List;

/**
 * The delayed publishes of one {@link Topic}: a delayed message is an ordinary slot of the topic
 * (stored, counted, paged out like any other), marked {@link RetainedMessages.Stored#delayed} while
 * its due time is ahead. Every group's cursor passes over a marked slot without taking it, so the
 * messages behind it are not held back; when it becomes due, it goes to the back of the retries of
 * every group that passed it, in due order, and a group that has not reached it yet takes it in its
 * turn. So a delayed message reaches every group that exists at its due time and whose window holds
 * its id, as if it had been published then. Kept apart from Topic, which only calls in.
 */
final class TopicDelays {
  private final Topic topic;
  private final CoreContext context;
  private final DelayedMessages pending = new DelayedMessages();

  TopicDelays(Topic topic, CoreContext context) {
    this.topic = topic;
    this.context = context;
  }

  /**
   * A message just committed under {@code id} with this due time (0: none): held back while it is
   * ahead. One at or below the watermark (a sweep released later ones while it was on its way to
   * disk) is an ordinary message, as a restart finds it too. One that became due on its way to
   * disk is released at once, through the journal like any other, so that a restart agrees.
   */
  void committed(RetainedMessages.Stored stored, long id, long dueMillis) {
    if (dueMillis <= 0 || pending.isReleased(dueMillis, id)) {
      return;
    }
    stored.delayed = true;
    if (pending.isEmpty()) {
      context.delaying.add(topic);
    }
    boolean earliest = pending.add(dueMillis, id);
    long now = context.clock.wallMillis();
    if (dueMillis <= now) {
      releaseDue(now);
    } else if (earliest) {
      context.earlierRetry.run(); // the sweep may be armed for later than this
    }
  }

  /** Releases every delay due at {@code nowMillis} to the groups, in due order; how many. */
  int releaseDue(long nowMillis) {
    int released = 0;
    for (long id = pending.pollDue(nowMillis); id >= 0; id = pending.pollDue(nowMillis)) {
      release(id, pending.watermarkMillis());
      released++;
    }
    if (pending.isEmpty()) {
      context.delaying.remove(topic);
    }
    if (released > 0) {
      for (Group group : topic.groups()) {
        group.dispatch();
      }
    }
    return released;
  }

  private void release(long id, long dueMillis) {
    RetainedMessages.Stored stored = topic.retained.get(id);
    if (stored == null || !stored.delayed) {
      return;
    }
    stored.delayed = false;
    // Every group now present gets it: those that passed it below, the others by their cursor.
    stored.unackedGroups = stored.lost ? 0 : topic.groups.size();
    context.storage.delayDue(topic.name, id, dueMillis);
    topic.positionsChanged();
    for (Group group : topic.groups()) {
      if (group.cursor().nextId() > id && !stored.lost) {
        group.redelivery.addLast(new Entry(stored, id));
      }
    }
  }

  /** The earliest due time, or -1 when nothing is pending. */
  long firstDueMillis() {
    return pending.isEmpty() ? -1 : pending.firstDueMillis();
  }

  int pendingCount() {
    return pending.size();
  }

  /** Pending delays a cursor at {@code nextId} still has ahead of it (it passes over them). */
  long pendingFrom(long nextId) {
    return pending.isEmpty() ? 0 : pending.countFrom(nextId);
  }

  long watermarkMillis() {
    return pending.watermarkMillis();
  }

  long watermarkId() {
    return pending.watermarkId();
  }

  /**
   * After a restart, before the groups are restored: the delays recovery found pending (those
   * above the watermark the groups' positions carry), marked in their slots and queued again.
   */
  void restore(RestoredTopic restored) {
    for (GroupPosition position : restored.groups()) {
      pending.restoreWatermark(position.delayedUpToMillis(), position.delayedUpToId());
    }
    long[] ids = restored.delayedIds();
    long[] due = restored.delayedDueMillis();
    for (int i = 0; i < ids.length; i++) {
      RetainedMessages.Stored stored = topic.retained.get(ids[i]);
      if (stored != null && !stored.lost && !pending.isReleased(due[i], ids[i])) {
        stored.delayed = true;
        pending.add(due[i], ids[i]);
      }
    }
    if (!pending.isEmpty()) {
      context.delaying.add(topic);
    }
  }

  /**
   * When a publication admitted at {@code nowMillis} is due: its deliver_at, or now plus its
   * delay_ms; 0 (at once) without either, or when that time has come already.
   */
  static long dueMillis(Publication publication, long nowMillis) {
    long due = publication.deliverAtMillis() > 0 ? publication.deliverAtMillis()
        : publication.delayMillis() > 0 ? nowMillis + publication.delayMillis() : 0;
    return due > nowMillis ? due : 0;
  }

  /**
   * Why this publication's delay cannot be taken, or null. The ttl_ms is counted from the publish
   * (docs/PROTOCOL.md): a delay that reaches it would store a message that expires before any
   * group may have it, which is surely not what the producer meant.
   */
  static String delayProblem(Publication publication, long nowMillis) {
    long due = dueMillis(publication, nowMillis);
    if (due == 0 || publication.ttlMillis() <= 0 || due - nowMillis < publication.ttlMillis()) {
      return null;
    }
    String delay = publication.deliverAtMillis() > 0
        ? "deliver_at " + publication.deliverAtMillis() + " is " + (due - nowMillis) + " ms away"
        : "delay_ms " + publication.delayMillis();
    return delay + " is not shorter than ttl_ms " + publication.ttlMillis()
        + " (counted from the publish): the message would expire before it is due";
  }

  /** For {@link CoreContext}: every topic with pending delays releases what is due. */
  static int releaseDue(List<Topic> delaying, long nowMillis) {
    int released = 0;
    for (Topic topic : delaying) {
      released += topic.delays.releaseDue(nowMillis);
    }
    return released;
  }
}
