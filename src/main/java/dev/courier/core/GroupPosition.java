package dev.courier.core;

import java.util.List;
import java.util.Set;

/**
 * Where a group stands in its topic, enough to rebuild it after a restart: every message below
 * {@code nextId} was taken and is acked unless listed in {@code pending} (in flight or waiting to
 * be retried, with its attempts so far); at or above {@code nextId}, the ids in {@code ackedAhead}
 * were acked already (a recovery that replays acks newer than the checkpoint finds such ids).
 */
public record GroupPosition(String group, long nextId, List<PendingDelivery> pending, Set<Long> ackedAhead) {
  public GroupPosition {
    pending = List.copyOf(pending);
    ackedAhead = Set.copyOf(ackedAhead);
  }

  /** A message a group took and has not acked, delivered {@code attempts} times so far. */
  public record PendingDelivery(long id, int attempts) {}
}
