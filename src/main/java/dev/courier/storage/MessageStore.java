package dev.courier.storage;

import dev.courier.core.GroupPosition;
import dev.courier.core.WarnLimiter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable storage for every topic, behind one writer thread that does group commit: it drains
 * every pending operation, writes each log touched once, forces once (with {@code fsync: always}),
 * and only then hands the outcomes back to the owner loop, in submission order. Nothing here runs
 * on an event loop; callers only enqueue.
 *
 * <p>Layout: {@code data_dir/topics/<topic>/messages/*.seg}, {@code .../groups/*.seg},
 * {@code .../checkpoint}. See {@code docs/STORAGE.md}.
 */
public final class MessageStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageStore.class);
  /** Bounds one group commit, so that one huge burst cannot delay its first confirmations long. */
  private static final int MAX_BATCH_OPERATIONS = 8192;
  private static final Pattern TOPIC_NAME = dev.courier.core.Names.PATTERN;

  /** What every publish is told once the storage thread has met an error it cannot reason about. */
  static final String FAILED_REASON = "storage unavailable: storage has failed (see the broker log); "
      + "the broker must be restarted";
  /** Storage ERROR lines a second; the rest are counted (a window-1 producer would log one per publish). */
  private static final int ERRORS_PER_SECOND = 1;

  private final StorageOptions options;
  private final Executor ownerLoop;
  private final LinkedBlockingQueue<Operation> queue = new LinkedBlockingQueue<>();
  private final Map<String, TopicStore> topics = new LinkedHashMap<>();
  private final Thread writer;
  private final StorageFiles files;
  private final WarnLimiter errors = new WarnLimiter(log, ERRORS_PER_SECOND);
  private long lastForceNanos = System.nanoTime();
  /**
   * Bytes of every segment file of every topic, as on disk: the real sizes at recovery, then each
   * write and deletion. Kept as a running total so that the disk limit costs nothing per publish.
   */
  private long diskBytes;
  /** Written by the storage thread only; read for stats. */
  private volatile long forces;
  /** Set once, by the storage thread, when it met an unexpected error; read for stats. */
  private volatile boolean failed;

  /** {@code ownerLoop} runs every callback: the broker's event loop. */
  public MessageStore(StorageOptions options, Executor ownerLoop) {
    this(options, ownerLoop, new OpenFiles(options.maxOpenFiles()), PositionalWriter.FILE_CHANNEL);
  }

  /** For tests: an OS that refuses descriptors, a disk that fails. */
  MessageStore(StorageOptions options, Executor ownerLoop, OpenFiles openFiles, PositionalWriter positionalWriter) {
    this.options = options;
    this.ownerLoop = ownerLoop;
    this.files = new StorageFiles(options.segmentBytes(), openFiles, positionalWriter, errors);
    this.writer = new Thread(this::run, "courier-storage");
  }

  // ---- what callers enqueue (any thread) ----

  private sealed interface Operation {}

  private record Append(String topic, StoredMessage message, AppendCallback callback) implements Operation {}

  private record Event(String topic, GroupEvent event) implements Operation {}

  private record CheckpointRequest(String topic, List<GroupPosition> positions) implements Operation {}

  private record Retain(Map<String, Long> firstRetainedIds, BiConsumer<String, Long> storedFrom)
      implements Operation {}

  /**
   * A read for a client ({@code forHistory}) is answered, empty, once storage has failed, so the
   * client is not left waiting; a page for the broker's own window is not: the groups then wait
   * for messages that are still on disk for the next start, rather than skip them.
   */
  private record Read(String topic, long fromId, int limit, long maxBytes, boolean forHistory,
      Consumer<List<StoredMessage>> callback)
      implements Operation {}

  private record Stop() implements Operation {}

  /** Stores a message; its id and timestamp are assigned here, in order. */
  public void append(String topic, String payload, String key, Map<String, String> headers, boolean base64,
      AppendCallback callback) {
    if (failed && !writer.isAlive()) {
      ownerLoop.execute(() -> callback.failed(FAILED_REASON)); // nobody is left to drain the queue
      return;
    }
    queue.add(new Append(topic, new StoredMessage(0, 0, key, headers, base64, payload), callback));
  }

  /** Journals a change of group state; no answer. */
  public void journal(String topic, GroupEvent event) {
    queue.add(new Event(topic, event));
  }

  /** Replaces the topic's group events so far by these positions. */
  public void checkpoint(String topic, List<GroupPosition> positions) {
    queue.add(new CheckpointRequest(topic, positions));
  }

  /**
   * Everything below these ids was acked by every group: delete what retention allows, then tell
   * {@code storedFrom} (on the owner loop) from which id each topic can still be read.
   */
  public void retain(Map<String, Long> firstRetainedIds, BiConsumer<String, Long> storedFrom) {
    queue.add(new Retain(Map.copyOf(firstRetainedIds), storedFrom));
  }

  /**
   * Reads up to {@code limit} stored messages from {@code fromId} on, or from the {@code limit}-th
   * last when {@code fromId} is negative, at most about {@code maxBytes} of them (the first
   * whatever its size), so that one read never holds more than a reply frame; the callback runs on
   * the owner loop.
   */
  public void history(String topic, long fromId, int limit, long maxBytes, Consumer<List<StoredMessage>> callback) {
    queue.add(new Read(topic, fromId, limit, maxBytes, true, callback));
  }

  /** Reads stored messages from {@code fromId} on, bounded by count and (about) bytes, for paging. */
  public void read(String topic, long fromId, int limit, long maxBytes, Consumer<List<StoredMessage>> callback) {
    queue.add(new Read(topic, fromId, limit, maxBytes, false, callback));
  }

  // ---- lifecycle ----

  /**
   * Opens every topic in the data directory, repairs torn tails, replays each topic's group events
   * over its checkpoint, and loads the messages some group still needs. Blocking: call before
   * {@link #start()}, off any event loop.
   */
  public List<RecoveredTopic> recover() throws IOException {
    Path topicsDir = options.dataDir().resolve("topics");
    Files.createDirectories(topicsDir);
    List<Path> dirs;
    try (Stream<Path> listing = Files.list(topicsDir)) {
      dirs = listing.filter(Files::isDirectory).sorted().toList();
    }
    List<RecoveredTopic> recovered = new ArrayList<>();
    for (Path dir : dirs) {
      String name = dir.getFileName().toString();
      if (!TOPIC_NAME.matcher(name).matches()) {
        log.warn("ignoring {}: not a topic name", dir);
        continue;
      }
      TopicRecovery recovery = TopicRecovery.run(name, dir, options, files);
      topics.put(name, recovery.store());
      recovered.add(recovery.topic());
      diskBytes += recovery.store().sizeBytes();
    }
    log.info("storage holds {} topics, {} bytes of logs; {} segment channels open of max_open_files={}",
        topics.size(), diskBytes, files.openFiles().openCount(), files.openFiles().capacity());
    return recovered;
  }

  public void start() {
    writer.setDaemon(false);
    writer.start();
  }

  /** Writes and forces everything enqueued so far, then closes every log. Blocking. */
  @Override
  public void close() throws InterruptedException {
    if (writer.isAlive()) {
      queue.add(new Stop());
      writer.join();
    }
    for (TopicStore store : topics.values()) {
      try {
        store.close();
      } catch (IOException | RuntimeException e) {
        errors.error("closing topic={} storage failed: {}", store.name, e.toString());
      }
    }
  }

  /**
   * Whether the storage thread met an unexpected error (a bug, out of memory): every publish is
   * refused from then on, and the broker must be restarted.
   */
  public boolean isFailed() {
    return failed;
  }

  // ---- the writer thread ----

  private void run() {
    List<Operation> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        Operation first = options.fsync() == FsyncMode.INTERVAL
            ? queue.poll(Math.max(1, nanosUntilIntervalForce()), TimeUnit.NANOSECONDS)
            : queue.take();
        if (first == null) {
          forceDirtyOnInterval();
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH_OPERATIONS - 1);
        stopping = failed ? refuseAll(batch) : process(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable e) {
        fail(e); // process answers its own batch; this is the loop itself failing
      } finally {
        batch.clear();
      }
    }
    if (!failed) {
      forceAll();
    }
    log.info("storage writer stopped after {} forces", forces);
  }

  /**
   * An error nothing here expected (I/O errors are handled where they happen): the state of the
   * files and of this thread is unknown, so storage stops working, loudly, once, rather than
   * carrying on or wedging with producers waiting for ever.
   */
  private void fail(Throwable cause) {
    if (!failed) {
      failed = true;
      log.error("storage failed: every publish is refused from now on; restart the broker (messages confirmed "
          + "so far are on disk and recovered at the next start)", cause);
    }
  }

  /** After a failure: every append is refused, in order; nothing else touches a file. */
  private boolean refuseAll(List<Operation> batch) {
    List<Runnable> outcomes = new ArrayList<>();
    boolean stop = false;
    for (Operation operation : batch) {
      if (operation instanceof Append append) {
        outcomes.add(() -> append.callback().failed(FAILED_REASON));
      } else if (operation instanceof Read read && read.forHistory()) {
        outcomes.add(() -> read.callback().accept(List.of()));
      } else if (operation instanceof Stop) {
        stop = true;
      }
    }
    if (!outcomes.isEmpty()) {
      handBack(outcomes);
    }
    return stop;
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

  /** What one group commit hands back to the owner loop, and which appends it has answered. */
  private static final class Outcomes {
    final List<Runnable> runnables = new ArrayList<>();
    final Set<Append> answered = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<Read> answeredReads = Collections.newSetFromMap(new IdentityHashMap<>());

    void stored(Append append, long id, long timestamp) {
      answered.add(append);
      runnables.add(() -> append.callback().stored(id, timestamp));
    }

    void failed(Append append, String reason) {
      answered.add(append);
      runnables.add(() -> append.callback().failed(reason));
    }
  }

  /** One group commit. Returns true when a Stop was among the operations. */
  private boolean process(List<Operation> batch) {
    Outcomes outcomes = new Outcomes();
    boolean stop = false;
    try {
      Set<TopicStore> touched = new LinkedHashSet<>();
      Map<TopicStore, TopicBatch> appends = new LinkedHashMap<>();
      List<CheckpointRequest> checkpoints = new ArrayList<>();
      List<Read> reads = new ArrayList<>();
      Retain retain = null;
      long plannedBytes = 0;
      for (Operation operation : batch) {
        if (operation instanceof Append append) {
          TopicStore store = store(append.topic(), append, outcomes);
          if (store != null) {
            TopicBatch topicBatch = appends.computeIfAbsent(store, s -> new TopicBatch());
            plannedBytes += admit(store, topicBatch, append, plannedBytes, outcomes);
            touched.add(store);
          }
        } else if (operation instanceof Event event) {
          TopicStore store = store(event.topic(), null, outcomes);
          if (store != null) {
            store.pendingEvents.add(RecordCodec.encode(store.nextEventSeq++, event.event()));
            touched.add(store);
          }
        } else if (operation instanceof CheckpointRequest checkpoint) {
          checkpoints.add(checkpoint);
        } else if (operation instanceof Retain r) {
          retain = r;
        } else if (operation instanceof Read read) {
          reads.add(read);
        } else if (operation instanceof Stop) {
          stop = true;
        }
      }
      for (TopicStore store : touched) {
        long before = store.sizeBytes();
        writePending(store, appends.get(store), outcomes);
        diskBytes += store.sizeBytes() - before;
      }
      if (options.fsync() == FsyncMode.ALWAYS) {
        for (TopicStore store : touched) {
          force(store);
        }
      } else {
        forceDirtyOnInterval();
      }
      for (CheckpointRequest checkpoint : checkpoints) {
        writeCheckpoint(checkpoint);
      }
      if (retain != null) {
        outcomes.runnables.add(retain(retain));
      }
      for (Read read : reads) {
        outcomes.runnables.add(read(read));
        outcomes.answeredReads.add(read);
      }
    } catch (Throwable e) {
      fail(e);
      for (Operation operation : batch) {
        if (operation instanceof Append append && !outcomes.answered.contains(append)) {
          outcomes.failed(append, FAILED_REASON);
        } else if (operation instanceof Read read && read.forHistory() && !outcomes.answeredReads.contains(read)) {
          outcomes.runnables.add(() -> read.callback().accept(List.of()));
        }
      }
    } finally {
      if (!outcomes.runnables.isEmpty()) {
        handBack(outcomes.runnables);
      }
    }
    return stop;
  }

  /** A loop that refuses work (it is closing) is not a storage failure: say so, and go on. */
  private void handBack(List<Runnable> runnables) {
    try {
      ownerLoop.execute(() -> runnables.forEach(Runnable::run));
    } catch (RuntimeException e) {
      errors.error("cannot hand {} storage outcomes back to the owner loop: {}", runnables.size(), e.toString());
    }
  }

  /**
   * Gives the message the topic's next id if it fits under {@code max_disk_bytes}, counting its
   * exact bytes on disk (and a segment header if it starts a segment), after everything this batch
   * accepted so far. Once one does not fit, the rest of the topic's batch is refused: a later,
   * smaller message must not overtake it. Returns the bytes it planned.
   */
  private long admit(TopicStore store, TopicBatch topicBatch, Append append, long plannedBytes, Outcomes outcomes) {
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
        topicBatch.plan = store.messages.planSize();
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
      store.nextMessageId++;
      store.pendingMessages.add(record);
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
      AtomicFile.forceDirectory(options.dataDir().resolve("topics"));
      return store;
    } catch (IOException | RuntimeException e) { // this topic's trouble (a path, a permission), not storage's
      errors.error("cannot create storage for topic={}: {}", topic, e.toString());
      if (append != null) {
        outcomes.failed(append, "storage unavailable: cannot create topic " + topic + ": " + e.getMessage());
      }
      return null;
    }
  }

  /** Writes the topic's accepted messages, then its group events, and answers each append in order. */
  private void writePending(TopicStore store, TopicBatch topicBatch, Outcomes outcomes) {
    if (topicBatch != null) {
      String writeFailure = null;
      if (!store.pendingMessages.isEmpty()) {
        try {
          store.ids.reserveThrough(store.nextMessageId - 1); // before any id past the reservation is written
          store.messages.append(store.pendingMessages);
          store.dirty = true;
          store.recordNewestSegment();
        } catch (IOException | RuntimeException e) {
          writeFailure = "storage unavailable: " + e.getMessage();
          errors.error("topic={} append of {} messages failed: {}", store.name, store.pendingMessages.size(),
              e.toString());
          store.nextMessageId -= store.pendingMessages.size(); // nothing was kept: the ids are free again
        }
        store.pendingMessages.clear();
      }
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
    store.writePendingEvents();
  }

  /**
   * Rewrites the topic's checkpoint only if group events were journaled since the last one. A
   * position changes otherwise only by deliveries, which are not journaled (a crash delivers them
   * again anyway), so rewriting would cost a force, a rename and a directory sync per topic per
   * interval for nothing: with thousands of idle topics, the storage thread's whole time.
   */
  private void writeCheckpoint(CheckpointRequest request) {
    TopicStore store = topics.get(request.topic());
    if (store == null || !store.hasEventsSinceCheckpoint()) {
      return;
    }
    long lastEventSeq = store.nextEventSeq - 1;
    long before = store.sizeBytes();
    try {
      force(store);
      new Checkpoint(lastEventSeq, request.positions()).write(store.dir);
      store.lastCheckpointSeq = lastEventSeq;
      store.events.deleteSegmentsBelow(lastEventSeq + 1);
    } catch (IOException e) {
      errors.error("topic={} checkpoint failed (recovery replays more events instead): {}", store.name,
          e.toString());
    }
    diskBytes += store.sizeBytes() - before;
  }

  /** Deletes what retention allows, then says from which id each topic can still be read. */
  private Runnable retain(Retain retain) {
    long now = System.currentTimeMillis();
    Map<String, Long> storedFrom = new LinkedHashMap<>();
    retain.firstRetainedIds().forEach((topic, firstRetained) -> {
      TopicStore store = topics.get(topic);
      if (store != null) {
        long before = store.sizeBytes();
        store.applyRetention(firstRetained, now, options.retentionMs(), options.retentionBytes());
        diskBytes += store.sizeBytes() - before;
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

  private long nanosUntilIntervalForce() {
    return TimeUnit.MILLISECONDS.toNanos(options.fsyncIntervalMs()) - (System.nanoTime() - lastForceNanos);
  }

  private void forceDirtyOnInterval() {
    if (options.fsync() == FsyncMode.INTERVAL && nanosUntilIntervalForce() <= 0) {
      forceAll();
    }
  }

  private void forceAll() {
    if (options.fsync() == FsyncMode.NEVER) {
      return;
    }
    for (TopicStore store : topics.values()) {
      force(store);
    }
    lastForceNanos = System.nanoTime();
  }

  private void force(TopicStore store) {
    if (options.fsync() != FsyncMode.NEVER && store.forceIfDirty()) {
      forces++;
    }
  }

  private static StoredMessage withId(StoredMessage message, long id, long timestampMillis) {
    return new StoredMessage(id, timestampMillis, message.key(), message.headers(), message.base64(), message.payload());
  }

  /** Forces so far, for the fsyncs-per-second figure. */
  public long forces() {
    return forces;
  }

  /** The store's budget of open segment channels; for tests, once the storage thread has stopped. */
  OpenFiles openFiles() {
    return files.openFiles();
  }

  /** Bytes of logs on disk as the store counts them; for tests, once the storage thread has stopped. */
  long diskBytes() {
    return diskBytes;
  }
}
