package dev.courier.core;

import java.util.List;
import java.util.Set;

/**
 * Where a group stands in its topic, enough to rebuild it after a restart: every message below
 * {@code nextId} was taken and is acked unless listed in {@code pending} (in flight or waiting to
 * be retried, with its attempts so far); at or above {@code nextId}, the ids in {@code ackedAhead}
 * were acked already (a recovery that replays acks newer than the checkpoint finds such ids); and
 * the settings it was created with. {@code delayedUpToMillis} and {@code delayedUpToId} are its
 * topic's delay watermark ({@link DelayedMessages}): every delayed publish at or below that (due
 * time, id) was released to the groups; one above it is still pending, whatever else says it taken.
 */
public record GroupPosition(String group, long nextId, List<PendingDelivery> pending, Set<Long> ackedAhead,
    GroupSettings settings, long delayedUpToMillis, long delayedUpToId) {
  public GroupPosition {
    pending = List.copyOf(pending);
    ackedAhead = Set.copyOf(ackedAhead);
    settings = settings == null ? GroupSettings.DEFAULT : settings;
  }

  public GroupPosition(String group, long nextId, List<PendingDelivery> pending, Set<Long> ackedAhead,
      GroupSettings settings) {
    this(group, nextId, pending, ackedAhead, settings, 0, 0);
  }

  /** A group created with the broker's defaults. */
  public GroupPosition(String group, long nextId, List<PendingDelivery> pending, Set<Long> ackedAhead) {
    this(group, nextId, pending, ackedAhead, GroupSettings.DEFAULT);
  }

  /**
   * A message a group took and has not acked, delivered {@code attempts} times so far, to be
   * retried not before {@code notBeforeMillis} (wall time; 0: at once), as a nack with a delay asked.
   */
  public record PendingDelivery(long id, int attempts, long notBeforeMillis) {
    public PendingDelivery(long id, int attempts) {
      this(id, attempts, 0);
    }
  }
}
