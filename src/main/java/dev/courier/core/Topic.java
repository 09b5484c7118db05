package dev.courier.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named, ordered stream of messages and the groups reading it. A message is retained until every
 * group has acked it; while the topic has no group at all, everything is retained, so the first
 * group gets what was published before it (as the seed's single queue does).
 */
final class Topic {
  final String name;
  final RetainedMessages retained = new RetainedMessages();
  private final CoreContext context;
  private final TopicLimits limits;
  final Map<String, Group> groups = new LinkedHashMap<>();
  /**
   * Producers paused on this topic, in the order they paused, with the bytes of the publication
   * each holds unadmitted (0 when it holds none): resumed once the topic is below the low
   * watermark and that publication fits. Allocated on the first pause: most topics never fill.
   */
  private LinkedHashMap<Runnable, Long> waitingForSpace;
  /** Set while {@link #wakeIfRoom} runs producers' resumes, which may publish and pause again. */
  private boolean waking;
  private boolean wakeRequested;
  /** Some group moved since the last checkpoint took this topic's positions (see Broker). */
  private boolean changedSinceCheckpoint;
  // Package-private for TopicRestore, which rebuilds them after a restart.
  long retainedBytes;
  /**
   * Estimated heap bytes of the retained messages held in memory ({@link ResidentSize}); the rest
   * are paged out to disk. The memory budget bounds this, not payload bytes: a 100-byte message
   * costs about 240 bytes resident.
   */
  long residentBytes;
  private boolean loading;
  /**
   * The oldest id storage can still read (durable storage keeps acked segments for retention);
   * {@link Long#MAX_VALUE} without storage. A new group starting at the earliest replays from it.
   */
  long storedFromId = Long.MAX_VALUE;
  long published;
  /** Admitted publishes not yet committed (durable mode: on their way to disk); they count as held. */
  private int pendingMessages;
  private long pendingBytes;
  /** Recent dedup_ids of this topic's publishes. */
  final DedupWindow dedup = new DedupWindow();
  /** Its delayed publishes not due yet. */
  final TopicDelays delays;

  Topic(CoreContext context, String name, TopicLimits limits) {
    this.context = context;
    this.name = name;
    this.limits = limits;
    this.delays = new TopicDelays(this, context);
    // A topic born with storage holds its log from the first id until storage reports otherwise.
    this.storedFromId = context.storage.keepsLog() ? 1 : Long.MAX_VALUE;
  }

  /** At a limit, counting the publishes admitted but not committed yet (on their way to disk). */
  boolean isFull() {
    return retained.size() + pendingMessages >= limits.maxMessages()
        || retainedBytes + pendingBytes >= limits.maxBytes();
  }

  /**
   * Whether one more message of {@code sizeBytes} keeps the topic within both limits, counting
   * what is admitted but not committed yet: admitting only such messages makes the limits exact,
   * whatever storage does meanwhile.
   */
  boolean hasRoomFor(long sizeBytes) {
    return retained.size() + pendingMessages < limits.maxMessages()
        && retainedBytes + pendingBytes + sizeBytes <= limits.maxBytes();
  }

  void admitted(long sizeBytes) {
    pendingMessages++;
    pendingBytes += sizeBytes;
  }

  void abandoned(long sizeBytes) {
    pendingMessages--;
    pendingBytes -= sizeBytes;
    wakeIfRoom();
  }

  TopicLimits limits() {
    return limits;
  }

  /**
   * Makes an admitted message visible to the groups, under the id its storage gave it; with an
   * {@code onlyGroup} (a redrive), every other group has it acked ahead, journaled, and passes over it.
   * With a {@code dueMillis} still ahead (0: none), no group gets it before then ({@link TopicDelays}).
   */
  Message commit(Publication publication, long id, long timestampMillis, String onlyGroup, long dueMillis) {
    if (id != retained.endId()) {
      throw new IllegalStateException("topic " + name + " expected id " + retained.endId() + ", storage gave " + id);
    }
    Message message = new Message(id, name, publication.payload(), publication.key(),
        publication.headers(), publication.base64(), timestampMillis,
        Message.expiry(timestampMillis, publication.ttlMillis()));
    long size = message.sizeBytes();
    long resident = ResidentSize.of(message);
    pendingMessages--;
    pendingBytes -= size;
    RetainedMessages.Stored stored = residentBytes + resident > context.memoryBudgetBytes
        ? RetainedMessages.Stored.paged(size) // on disk already: read back when it is its turn
        : new RetainedMessages.Stored(message);
    stored.unackedGroups = groups.size();
    retained.append(stored);
    retainedBytes += size;
    if (stored.message != null) {
      residentBytes += resident;
    }
    published++;
    delays.committed(stored, id, dueMillis);
    for (Group group : groups.values()) {
      if (onlyGroup != null && !onlyGroup.equals(group.name)) {
        group.cursor().ackAhead(id);
      }
      group.dispatch();
    }
    return message;
  }

  /**
   * The group with this name, created if new with {@code settings}: from the oldest retained
   * message, or from now on.
   */
  Group group(String groupName, boolean fromLatest, GroupSettings settings) {
    Group group = groups.get(groupName);
    if (group != null) {
      return group;
    }
    long windowStart = fromLatest ? retained.endId() : retained.firstId();
    for (long id = windowStart; id < retained.endId(); id = retained.nextAfter(id)) {
      RetainedMessages.Stored stored = retained.get(id);
      if (!stored.lost) {
        stored.unackedGroups++;
      }
    }
    group = new Group(context, this, groupName, windowStart, settings);
    long startId = windowStart;
    if (!fromLatest && storedFromId < windowStart && context.storage.keepsLog()) {
      // Older messages every group had acked, kept by retention: read them from storage first.
      group.cursor().startReplay(storedFromId, windowStart);
      startId = storedFromId;
    }
    groups.put(groupName, group);
    positionsChanged();
    context.storage.groupCreated(name, groupName, startId, settings);
    trimHead();
    return group;
  }

  /** Rebuilds this (new, empty) topic after a restart (see {@link TopicRestore}). */
  void restore(RestoredTopic restored) {
    TopicRestore.restore(this, context, restored);
  }

  /** A group needs {@code id}, which is paged out: ask storage for the chunk from it (once at a time). */
  void requestLoad(long id) {
    if (!loading) {
      loading = true;
      context.storage.load(name, null, id, Broker.LOAD_CHUNK_MESSAGES, loadChunkBytes());
    }
  }

  long loadChunkBytes() {
    return Math.max(1, context.memoryBudgetBytes / 4);
  }

  /** Storage can read from this id on (it deleted what was below). */
  void storedFrom(long id) {
    storedFromId = id;
  }

  /** The lowest id some group still needs from storage: the window's start, or a replay below it. */
  long firstNeededId() {
    long first = retained.firstId();
    for (Group group : groups.values()) {
      first = Math.min(first, group.lowestNeededId());
    }
    return first;
  }

  /**
   * Deletes a group without consumers (see {@link Group#releaseForDelete}), journaled so a restart
   * does not bring it back; what only it held is freed. False when it cannot go now.
   */
  boolean deleteGroup(Group group) {
    if (!group.releaseForDelete()) {
      return false;
    }
    groups.remove(group.name);
    context.storage.groupDeleted(name, group.name);
    positionsChanged();
    return true;
  }

  Group existingGroup(String groupName) {
    return groups.get(groupName);
  }

  /**
   * Storage read these back: they are resident again. A requested id storage could not return is
   * marked lost, so that no group waits for it forever.
   */
  void loaded(long requestedId, List<Message> messages) {
    loading = false;
    for (Message message : messages) {
      RetainedMessages.Stored stored = retained.get(message.id());
      if (stored != null && stored.isPaged()) {
        stored.message = message;
        residentBytes += ResidentSize.of(message);
      }
    }
    RetainedMessages.Stored requested = retained.get(requestedId);
    if (requested != null && requested.isPaged()) {
      // Every group passes over a lost slot without acking it, so it holds nobody back.
      requested.lost = true;
      requested.unackedGroups = 0;
      retainedBytes -= requested.sizeBytes;
      org.slf4j.LoggerFactory.getLogger(Topic.class).error(
          "topic={} msg={} could not be read back from storage; groups skip it", name, requestedId);
    }
    for (Group group : groups.values()) {
      group.dispatch();
    }
  }

  /** Up to {@code limit} held messages from {@code fromId} on, or the last ones when it is negative. */
  List<Message> retainedMessages(long fromId, int limit) {
    List<Message> result = new ArrayList<>();
    long end = retained.endId();
    long start = fromId >= 0 ? Math.max(fromId, retained.firstId()) : Math.max(retained.firstId(), end - limit);
    for (long id = start; id < end && result.size() < limit; id++) {
      Message message = retained.get(id).message;
      if (message != null) {
        result.add(message);
      }
    }
    return result;
  }

  /** A group delivered, acked, requeued or was created: the next checkpoint takes this topic. */
  void positionsChanged() {
    if (!changedSinceCheckpoint) {
      changedSinceCheckpoint = true;
      context.changedSinceCheckpoint.add(this);
    }
  }

  /** The checkpoint took this topic's positions. */
  void checkpointed() {
    changedSinceCheckpoint = false;
  }

  /** Where every group stands, for a checkpoint. */
  List<GroupPosition> positions() {
    List<GroupPosition> positions = new ArrayList<>(groups.size());
    for (Group group : groups.values()) {
      positions.add(group.position());
    }
    return positions;
  }

  Collection<Group> groups() {
    return groups.values();
  }

  /** One group is done with a message; free what every group is done with. */
  void release(RetainedMessages.Stored stored) {
    stored.unackedGroups--;
    if (stored.unackedGroups == 0) {
      trimHead();
    } else if (stored.message != null && residentBytes > context.memoryBudgetBytes) {
      // Another group still needs it, but a group far ahead must not fill memory with what it
      // loaded: back to disk only; the lagging group reads it again when its turn comes.
      residentBytes -= ResidentSize.of(stored.message);
      stored.message = null;
    }
  }

  /** Runs {@code resume} once below the low watermark with room for {@code heldBytes} more. */
  void awaitSpace(Runnable resume, long heldBytes) {
    if (waitingForSpace == null) {
      waitingForSpace = new LinkedHashMap<>();
    }
    waitingForSpace.put(resume, heldBytes);
    wakeIfRoom();
  }

  void cancelAwaitSpace(Runnable resume) {
    if (waitingForSpace != null) {
      waitingForSpace.remove(resume);
    }
  }

  /** Shutdown: every paused producer resumes at once, to have its publishes refused. */
  void wakeAll() {
    if (waitingForSpace != null && !waitingForSpace.isEmpty()) {
      List<Runnable> resumes = new ArrayList<>(waitingForSpace.keySet());
      waitingForSpace.clear();
      resumes.forEach(Runnable::run);
    }
  }

  TopicStats stats(long nowMillis) {
    List<GroupStats> groupStats = new ArrayList<>(groups.size());
    for (Group group : groups.values()) {
      groupStats.add(group.stats(nowMillis));
    }
    return new TopicStats(name, published, retained.size(), retainedBytes, residentBytes, isFull(), groupStats,
        delays.pendingCount());
  }

  long published() {
    return published;
  }

  void trimHead() {
    if (groups.isEmpty()) {
      return;
    }
    RetainedMessages.Stored first;
    while ((first = retained.first()) != null && first.unackedGroups == 0 && !first.delayed) {
      retainedBytes -= first.lost ? 0 : first.sizeBytes;
      if (first.message != null) {
        residentBytes -= ResidentSize.of(first.message);
      }
      retained.removeFirst();
    }
    wakeIfRoom();
  }

  /**
   * Resumes paused producers in the order they paused, once the topic (with what is still on its
   * way to disk) is below the low watermark, for as long as each one's held publication fits; the
   * first that does not fit stops the round, so a large publication is not passed over forever.
   * A resume admits its publication at once, so the next one is checked against the new figures.
   */
  private void wakeIfRoom() {
    if (waitingForSpace == null || waitingForSpace.isEmpty()) {
      return;
    }
    if (waking) {
      wakeRequested = true; // a resume freed or took room: look again when it returns
      return;
    }
    waking = true;
    try {
      do {
        wakeRequested = false;
        if (!isBelowLowWatermark()) {
          return;
        }
        for (Map.Entry<Runnable, Long> waiter : new ArrayList<>(waitingForSpace.entrySet())) {
          if (!hasRoomFor(waiter.getValue())) {
            break;
          }
          // Taken out before it runs: a resume that cannot publish after all pauses anew.
          if (waitingForSpace.remove(waiter.getKey()) != null) {
            waiter.getKey().run();
          }
        }
      } while (wakeRequested);
    } finally {
      waking = false;
    }
  }

  private boolean isBelowLowWatermark() {
    return retained.size() + pendingMessages < limits.maxMessages() * TopicLimits.LOW_WATERMARK
        && retainedBytes + pendingBytes < limits.maxBytes() * TopicLimits.LOW_WATERMARK;
  }
}
