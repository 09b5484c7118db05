package dev.courier.storage;

import dev.courier.core.GroupPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private final StorageOptions options;
  private final Executor ownerLoop;
  private final LinkedBlockingQueue<Operation> queue = new LinkedBlockingQueue<>();
  private final Map<String, TopicStore> topics = new LinkedHashMap<>();
  private final Thread writer;
  private long lastForceNanos = System.nanoTime();
  /** Written by the storage thread only; read for stats. */
  private volatile long forces;

  /** {@code ownerLoop} runs every callback: the broker's event loop. */
  public MessageStore(StorageOptions options, Executor ownerLoop) {
    this.options = options;
    this.ownerLoop = ownerLoop;
    this.writer = new Thread(this::run, "courier-storage");
  }

  // ---- what callers enqueue (any thread) ----

  private sealed interface Operation {}

  private record Append(String topic, StoredMessage message, AppendCallback callback) implements Operation {}

  private record Event(String topic, GroupEvent event) implements Operation {}

  private record CheckpointRequest(String topic, List<GroupPosition> positions) implements Operation {}

  private record Retain(Map<String, Long> firstRetainedIds, BiConsumer<String, Long> storedFrom)
      implements Operation {}

  private record Read(String topic, long fromId, int limit, long maxBytes, Consumer<List<StoredMessage>> callback)
      implements Operation {}

  private record Stop() implements Operation {}

  /** Stores a message; its id and timestamp are assigned here, in order. */
  public void append(String topic, String payload, String key, Map<String, String> headers, boolean base64,
      AppendCallback callback) {
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
    queue.add(new Read(topic, fromId, limit, maxBytes, callback));
  }

  /** Reads stored messages from {@code fromId} on, bounded by count and (about) bytes, for paging. */
  public void read(String topic, long fromId, int limit, long maxBytes, Consumer<List<StoredMessage>> callback) {
    queue.add(new Read(topic, fromId, limit, maxBytes, callback));
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
      TopicRecovery recovery = TopicRecovery.run(name, dir, options);
      topics.put(name, recovery.store());
      recovered.add(recovery.topic());
    }
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
      } catch (IOException e) {
        log.error("closing topic={} storage failed: {}", store.name, e.toString());
      }
    }
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
        stopping = process(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("storage writer failed on a batch of {} operations; carrying on", batch.size(), e);
      } finally {
        batch.clear();
      }
    }
    forceAll();
    log.info("storage writer stopped after {} forces", forces);
  }

  /** One group commit. Returns true when a Stop was among the operations. */
  private boolean process(List<Operation> batch) {
    List<Runnable> outcomes = new ArrayList<>();
    Set<TopicStore> touched = new LinkedHashSet<>();
    Map<TopicStore, List<Append>> appends = new LinkedHashMap<>();
    List<CheckpointRequest> checkpoints = new ArrayList<>();
    List<Read> reads = new ArrayList<>();
    Retain retain = null;
    boolean stop = false;
    for (Operation operation : batch) {
      if (operation instanceof Append append) {
        TopicStore store = store(append.topic(), append.callback(), outcomes);
        if (store != null) {
          StoredMessage message = withId(append.message(), store.nextMessageId, System.currentTimeMillis());
          LogRecord record;
          try {
            record = RecordCodec.encode(message);
          } catch (IllegalArgumentException e) {
            outcomes.add(() -> append.callback().failed("cannot store this message: " + e.getMessage()));
            continue;
          }
          store.nextMessageId++;
          store.pendingMessages.add(record);
          appends.computeIfAbsent(store, s -> new ArrayList<>()).add(
              new Append(append.topic(), message, append.callback()));
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
    try {
      for (TopicStore store : touched) {
        writePending(store, appends.getOrDefault(store, List.of()), outcomes);
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
        applyRetention(retain.firstRetainedIds());
        Map<String, Long> storedFrom = new LinkedHashMap<>();
        for (String topic : retain.firstRetainedIds().keySet()) {
          TopicStore store = topics.get(topic);
          if (store != null) {
            storedFrom.put(topic, store.firstStoredId());
          }
        }
        Retain done = retain;
        outcomes.add(() -> storedFrom.forEach(done.storedFrom()));
      }
      for (Read read : reads) {
        outcomes.add(read(read));
      }
    } catch (RuntimeException e) {
      // A bug, not an I/O error (those are handled where they happen); the outcomes gathered so
      // far must still reach the broker, or their producers would wait for ever.
      log.error("storage writer failed in a batch of {} operations", batch.size(), e);
    } finally {
      if (!outcomes.isEmpty()) {
        ownerLoop.execute(() -> outcomes.forEach(Runnable::run));
      }
    }
    return stop;
  }

  private TopicStore store(String topic, AppendCallback callback, List<Runnable> outcomes) {
    TopicStore store = topics.get(topic);
    if (store != null) {
      return store;
    }
    try {
      store = TopicStore.open(topic, options.dataDir().resolve("topics").resolve(topic), options.segmentBytes(), 0);
      topics.put(topic, store);
      Checkpoint.forceDirectory(options.dataDir().resolve("topics"));
      return store;
    } catch (IOException e) {
      log.error("cannot create storage for topic={}: {}", topic, e.toString());
      if (callback != null) {
        outcomes.add(() -> callback.failed("storage unavailable: cannot create topic " + topic + ": " + e.getMessage()));
      }
      return null;
    }
  }

  private void writePending(TopicStore store, List<Append> appends, List<Runnable> outcomes) {
    if (!store.pendingMessages.isEmpty()) {
      String refusal = null;
      long bytes = store.pendingMessages.stream().mapToLong(r -> r.body().length + 32L).sum();
      if (options.maxDiskBytes() > 0 && totalBytes() + bytes > options.maxDiskBytes()) {
        refusal = "storage unavailable: disk limit max_disk_bytes=" + options.maxDiskBytes() + " reached";
      } else {
        try {
          store.ids.reserveThrough(store.nextMessageId - 1); // before any id past the reservation is written
          store.messages.append(store.pendingMessages);
          store.dirty = true;
          store.recordNewestSegment();
        } catch (IOException | RuntimeException e) {
          refusal = "storage unavailable: " + e.getMessage();
          log.error("topic={} append of {} messages failed: {}", store.name, appends.size(), e.toString());
        }
      }
      if (refusal == null) {
        for (Append append : appends) {
          long id = append.message().id();
          long timestamp = append.message().timestampMillis();
          outcomes.add(() -> append.callback().stored(id, timestamp));
        }
      } else {
        store.nextMessageId -= appends.size(); // nothing was kept: the ids are free again
        String reason = refusal;
        for (Append append : appends) {
          outcomes.add(() -> append.callback().failed(reason));
        }
      }
      store.pendingMessages.clear();
    }
    store.writePendingEvents();
  }

  private void writeCheckpoint(CheckpointRequest request) {
    TopicStore store = topics.get(request.topic());
    if (store == null) {
      return;
    }
    long lastEventSeq = store.nextEventSeq - 1;
    try {
      force(store);
      new Checkpoint(lastEventSeq, request.positions()).write(store.dir);
      store.lastCheckpointSeq = lastEventSeq;
      store.events.deleteSegmentsBelow(lastEventSeq + 1);
    } catch (IOException e) {
      log.error("topic={} checkpoint failed (recovery replays more events instead): {}", store.name, e.toString());
    }
  }

  private void applyRetention(Map<String, Long> firstRetainedIds) {
    long now = System.currentTimeMillis();
    firstRetainedIds.forEach((topic, firstRetained) -> {
      TopicStore store = topics.get(topic);
      if (store != null) {
        store.applyRetention(firstRetained, now, options.retentionMs(), options.retentionBytes());
      }
    });
  }

  private Runnable read(Read read) {
    TopicStore store = topics.get(read.topic());
    List<StoredMessage> messages = store == null ? List.of() : store.read(read.fromId(), read.limit(), read.maxBytes());
    return () -> read.callback().accept(messages);
  }


  private long totalBytes() {
    long total = 0;
    for (TopicStore store : topics.values()) {
      total += store.sizeBytes();
    }
    return total;
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
}
