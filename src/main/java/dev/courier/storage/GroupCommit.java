package dev.courier.storage;

import dev.courier.storage.StoreOperation.Append;
import dev.courier.storage.StoreOperation.CheckpointRequest;
import dev.courier.storage.StoreOperation.Event;
import dev.courier.storage.StoreOperation.Read;
import dev.courier.storage.StoreOperation.Retain;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What one group commit does to the topics on disk: every append of the batch gets its topic's next
 * id if it fits under {@code max_disk_bytes}, each log touched is written once and forced once
 * ({@code fsync: always}), then checkpoints, retention and reads; the outcomes are collected in
 * submission order for the owner loop. Owns the topics' stores and the count of their bytes. Used
 * by the storage thread only (and by recovery before it starts).
 */
final class GroupCommit {

  private final StorageOptions options;
  private final StorageFiles files;
  private final Map<String, TopicStore> topics = new LinkedHashMap<>();
  private long lastForceNanos = System.nanoTime();
  /**
   * Bytes of every segment file of every topic, as on disk: the real sizes at recovery, then each
   * write and deletion. Kept as a running total so that the disk limit costs nothing per publish.
   */
  private long diskBytes;
  /**
   * Each topic's bytes on disk (its message and group-event logs), put by the storage thread
   * whenever they change and read by {@code /metrics} on another thread: a scrape reads figures,
   * it never walks a directory or waits for this thread.
   */
  private final Map<String, Long> logBytes = new ConcurrentHashMap<>();
  /** Written by the storage thread only; read for stats. */
  private volatile long forces;
  private volatile java.util.function.LongConsumer forceObserver = nanos -> { };

  GroupCommit(StorageOptions options, StorageFiles files) {
    this.options = options;
    this.files = files;
  }

  /** A topic recovery opened, with the bytes it already holds. */
  void recovered(String topic, TopicStore store) {
    topics.put(topic, store);
    diskBytes += store.sizeBytes();
    logBytes.put(topic, store.sizeBytes());
  }

  private void resized(TopicStore store, long before) {
    diskBytes += store.sizeBytes() - before;
    logBytes.put(store.name, store.sizeBytes());
  }

  /** A read-only view of each topic's log bytes; safe to read from any thread. */
  Map<String, Long> logBytes() {
    return Collections.unmodifiableMap(logBytes);
  }

  int topicCount() {
    return topics.size();
  }

  Collection<TopicStore> stores() {
    return topics.values();
  }

  long diskBytes() {
    return diskBytes;
  }

  long forces() {
    return forces;
  }

  /** The appends of one topic in one batch, in submission order; a refused one carries its reason. */
  private static final class TopicBatch {
    final List<Append> appends = new ArrayList<>();
    /** The message of each append with the id and timestamp it was given (unused if refused). */
    final List<StoredMessage> messages = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    SegmentedLog.SizePlan plan;
    /** Set at the first message that does not fit; the rest of the batch is refused with it. */
    String diskRefusal;
  }

  /** What one group commit hands back to the owner loop, and which operations it has answered. */
  static final class Outcomes {
    final List<Runnable> runnables = new ArrayList<>();
    private final Set<Append> answered = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Read> answeredReads = Collections.newSetFromMap(new IdentityHashMap<>());

    void stored(Append append, long id, long timestamp) {
      answered.add(append);
      runnables.add(() -> append.callback().stored(id, timestamp));
    }

    void failed(Append append, String reason) {
      answered.add(append);
      runnables.add(() -> append.callback().failed(reason));
    }

    void read(Read read, Runnable answer) {
      answeredReads.add(read);
      runnables.add(answer);
    }

    /** Refuses every append not answered yet, and answers every history read not answered, empty. */
    void refuseUnanswered(List<StoreOperation> batch, String reason) {
      for (StoreOperation operation : batch) {
        if (operation instanceof Append append && !answered.contains(append)) {
          failed(append, reason);
        } else if (operation instanceof Read read && read.forHistory() && !answeredReads.contains(read)) {
          read(read, () -> read.callback().accept(List.of()));
        }
      }
    }
  }

  /**
   * One group commit: sort the batch by kind and topic, write each touched topic once, force, then
   * checkpoints, retention and reads. An unexpected error propagates, with what was answered so
   * far in {@code outcomes}. See {@code docs/STORAGE.md} for the order the outcomes come in.
   */
  void process(List<StoreOperation> batch, Outcomes outcomes) {
    Plan plan = plan(batch, outcomes);
    for (TopicStore store : plan.touched) {
      long before = store.sizeBytes();
      writeStaged(store, plan.appends.get(store), outcomes);
      resized(store, before);
    }
    if (options.fsync() == FsyncMode.ALWAYS) {
      plan.touched.forEach(this::force);
    } else {
      forceDirtyOnInterval();
    }
    plan.checkpoints.forEach(this::writeCheckpoint);
    if (plan.retain != null) {
      outcomes.runnables.add(retain(plan.retain));
    }
    for (Read read : plan.reads) {
      outcomes.read(read, read(read));
    }
  }

  /** A batch sorted out: what to write per topic (in the order topics first appear), and the rest. */
  private static final class Plan {
    final Set<TopicStore> touched = new LinkedHashSet<>();
    final Map<TopicStore, TopicBatch> appends = new LinkedHashMap<>();
    final List<PlacedCheckpoint> checkpoints = new ArrayList<>();
    final List<Read> reads = new ArrayList<>();
    /** Only the last one counts: each carries every topic's current figures. */
    Retain retain;
    /** Bytes of the messages accepted so far, for the disk limit. */
    long plannedBytes;
  }

  /** Stages every append and event with its topic's store; touches no file but a new topic's folder. */
  private Plan plan(List<StoreOperation> batch, Outcomes outcomes) {
    Plan plan = new Plan();
    for (StoreOperation operation : batch) {
      if (operation instanceof Append append) {
        TopicStore store = store(append.topic(), append, outcomes);
        if (store != null) {
          TopicBatch topicBatch = plan.appends.computeIfAbsent(store, s -> new TopicBatch());
          plan.plannedBytes += admit(store, topicBatch, append, plan.plannedBytes);
          plan.touched.add(store);
        }
      } else if (operation instanceof Event event) {
        TopicStore store = store(event.topic(), null, outcomes);
        if (store != null) {
          store.stageEvent(event.event());
          plan.touched.add(store);
        }
      } else if (operation instanceof CheckpointRequest checkpoint) {
        // Its positions include exactly the events queued before it: later ones of this batch are
        // not covered, so it must not claim (and delete) them.
        TopicStore store = topics.get(checkpoint.topic());
        if (store != null) {
          plan.checkpoints.add(new PlacedCheckpoint(store, store.lastEventSeq(), checkpoint));
        }
      } else if (operation instanceof Retain retain) {
        plan.retain = retain;
      } else if (operation instanceof Read read) {
        plan.reads.add(read);
      }
    }
    return plan;
  }

  /**
   * Gives the message the topic's next id if it fits under {@code max_disk_bytes}, counting its
   * exact bytes on disk (and a segment header if it starts a segment), after everything this batch
   * accepted so far. Once one does not fit, the rest of the topic's batch is refused: a later,
   * smaller message must not overtake it. Returns the bytes it planned.
   */
  private long admit(TopicStore store, TopicBatch topicBatch, Append append, long plannedBytes) {
    StoredMessage message = withId(append.message(), store.nextMessageId, System.currentTimeMillis());
    String refusal = topicBatch.diskRefusal;
    long cost = 0;
    LogRecord record = null;
    if (refusal == null) {
      try {
        record = RecordCodec.encode(message);
      } catch (IllegalArgumentException e) {
        refusal = "cannot store this message: " + e.getMessage();
      }
    }
    if (record != null && options.maxDiskBytes() > 0) {
      if (topicBatch.plan == null) {
        topicBatch.plan = store.planSize();
      }
      cost = topicBatch.plan.costOf(record);
      if (diskBytes + plannedBytes + cost > options.maxDiskBytes()) {
        refusal = "storage unavailable: disk limit max_disk_bytes=" + options.maxDiskBytes() + " reached ("
            + (diskBytes + plannedBytes) + " bytes of logs, this message needs " + cost + ")";
        topicBatch.diskRefusal = refusal;
        record = null;
        cost = 0;
      } else {
        topicBatch.plan.add(record);
      }
    }
    if (record != null) {
      store.stageMessage(record);
    }
    topicBatch.appends.add(append);
    topicBatch.messages.add(message);
    topicBatch.refusals.add(refusal);
    return cost;
  }

  private TopicStore store(String topic, Append append, Outcomes outcomes) {
    TopicStore store = topics.get(topic);
    if (store != null) {
      return store;
    }
    try {
      store = TopicStore.open(topic, options.dataDir().resolve("topics").resolve(topic), files, 0);
      topics.put(topic, store);
      logBytes.put(topic, store.sizeBytes());
      AtomicFile.forceDirectory(options.dataDir().resolve("topics"));
      return store;
    } catch (IOException | RuntimeException e) { // this topic's trouble (a path, a permission), not storage's
      files.errors().error("cannot create storage for topic={}: {}", topic, e.toString());
      if (append != null) {
        outcomes.failed(append, "storage unavailable: cannot create topic " + topic + ": " + e.getMessage());
      }
      return null;
    }
  }

  /** Writes the topic's accepted messages, then its group events, and answers each append in order. */
  private void writeStaged(TopicStore store, TopicBatch topicBatch, Outcomes outcomes) {
    if (topicBatch != null) {
      String writeFailure = store.writeStagedMessages();
      for (int i = 0; i < topicBatch.appends.size(); i++) {
        Append append = topicBatch.appends.get(i);
        StoredMessage message = topicBatch.messages.get(i);
        String refusal = topicBatch.refusals.get(i);
        if (refusal == null && writeFailure == null) {
          outcomes.stored(append, message.id(), message.timestampMillis());
        } else {
          outcomes.failed(append, refusal != null ? refusal : writeFailure);
        }
      }
    }
    store.writeStagedEvents();
  }

  /**
   * Rewrites the topic's checkpoint only if group events were journaled since the last one, and
   * covering only the events queued before the request (its positions know those; an ack queued
   * after it in the same batch would otherwise be claimed, its event deleted, and the message
   * delivered again after a restart: seen as an acked message coming back). A
   * position changes otherwise only by deliveries, which are not journaled (a crash delivers them
   * again anyway), so rewriting would cost a force, a rename and a directory sync per topic per
   * interval for nothing: with thousands of idle topics, the storage thread's whole time.
   */
  private void writeCheckpoint(PlacedCheckpoint placed) {
    TopicStore store = placed.store();
    long lastEventSeq = placed.lastEventSeq();
    if (store.isCheckpointedThrough(lastEventSeq)) {
      return;
    }
    long before = store.sizeBytes();
    try {
      force(store);
      store.writeCheckpoint(lastEventSeq, placed.request().positions(), placed.request().dedupKeys());
    } catch (IOException e) {
      files.errors().error("topic={} checkpoint failed (recovery replays more events instead): {}", store.name,
          e.toString());
    }
    resized(store, before);
  }

  /** A checkpoint request with the last event sequence number queued before it. */
  private record PlacedCheckpoint(TopicStore store, long lastEventSeq, CheckpointRequest request) {}

  /** Deletes what retention allows, then says from which id each topic can still be read. */
  private Runnable retain(Retain retain) {
    long now = System.currentTimeMillis();
    Map<String, Long> storedFrom = new LinkedHashMap<>();
    retain.firstRetainedIds().forEach((topic, firstRetained) -> {
      TopicStore store = topics.get(topic);
      if (store != null) {
        long before = store.sizeBytes();
        store.applyRetention(firstRetained, now, options.retentionMs(), options.retentionBytes());
        resized(store, before);
        storedFrom.put(topic, store.firstStoredId());
      }
    });
    return () -> storedFrom.forEach(retain.storedFrom());
  }

  private Runnable read(Read read) {
    TopicStore store = topics.get(read.topic());
    List<StoredMessage> messages = store == null ? List.of() : store.read(read.fromId(), read.limit(), read.maxBytes());
    return () -> read.callback().accept(messages);
  }

  long nanosUntilIntervalForce() {
    return TimeUnit.MILLISECONDS.toNanos(options.fsyncIntervalMs()) - (System.nanoTime() - lastForceNanos);
  }

  void forceDirtyOnInterval() {
    if (options.fsync() == FsyncMode.INTERVAL && nanosUntilIntervalForce() <= 0) {
      forceAll();
    }
  }

  void forceAll() {
    if (options.fsync() == FsyncMode.NEVER) {
      return;
    }
    for (TopicStore store : topics.values()) {
      force(store);
    }
    lastForceNanos = System.nanoTime();
  }

  private void force(TopicStore store) {
    long startNanos = System.nanoTime();
    if (options.fsync() != FsyncMode.NEVER && store.forceIfDirty()) {
      forces++;
      forceObserver.accept(System.nanoTime() - startNanos);
    }
  }

  /** Set from the HTTP listener's thread once; read by the storage thread at each force. */
  void observeForces(java.util.function.LongConsumer observer) {
    forceObserver = observer;
  }

  private static StoredMessage withId(StoredMessage message, long id, long timestampMillis) {
    return message.withId(id, timestampMillis);
  }
}
