package dev.courier.http;

import dev.courier.core.GroupChange;
import dev.courier.core.Publication;
import dev.courier.protocol.Frame;
import dev.courier.security.Principal;
import dev.courier.server.ConnectionSummary;
import dev.courier.server.StatsSnapshot;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * What the HTTP listener may ask of the broker. Every answer is a snapshot the broker's loop took;
 * the futures complete on that loop, and the listener hops back to its own before it reads them.
 */
public interface BrokerView {
  /** A stored publish: its message's id; {@code duplicate}, a dedup hit and the first one's id. */
  record Published(long id, boolean duplicate) {}

  /** Totals, every topic with its groups, and the connection count. */
  Future<StatsSnapshot> snapshotStats();

  Future<List<ConnectionSummary>> connectionSummaries();

  /**
   * A page of {@code topic}'s retained messages from {@code fromId} on (-1: its oldest), as a
   * {@code history} frame would answer, at most {@code max_frame_bytes}; null when there is no such topic.
   */
  Future<Frame.HistoryReply> history(String topic, long fromId, int limit);

  /**
   * Publishes as {@code who}, through the core's publish entry as a producer connection does:
   * completes with the message's id once stored (or the first one's on a dedup hit), or fails
   * with {@link PublishRefused}.
   */
  Future<Published> publish(Principal who, Publication publication);

  /** An operator's change to one group, done by the core's rules. */
  Future<GroupChange> changeGroup(String topic, String group, GroupChange.Action action);

  /**
   * Moves up to {@code limit} dead letters of {@code topic} back where they came from, by the
   * core's redrive; completes with how many moved, or null when there is no such topic.
   */
  Future<Long> redrive(String topic, int limit);

  /** Deletes a group without consumers, durably, by the core's rules ({@code Broker.deleteGroup}). */
  Future<GroupChange> deleteGroup(String topic, String group);

  /** Every paused group as {@code topic/group}. */
  Future<Set<String>> pausedGroups();

  /** Null when the broker serves (recovered, listening, storage writable); otherwise why not. */
  Future<String> notReadyReason();

  /**
   * Bytes of each topic's logs on disk, as the storage thread last published them: a live view
   * that any thread may read without waiting; null with memory storage.
   */
  java.util.Map<String, Long> storageLogBytes();

  /** Has {@code fsyncNanos} told how long each storage force took (on the storage thread); durable storage only. */
  void observeForces(LongConsumer fsyncNanos);
}
