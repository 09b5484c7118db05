package dev.courier.storage;

import dev.courier.core.GroupPosition;
import dev.courier.core.Names;
import dev.courier.core.WarnLimiter;
import dev.courier.storage.StoreOperation.Append;
import dev.courier.storage.StoreOperation.CheckpointRequest;
import dev.courier.storage.StoreOperation.Event;
import dev.courier.storage.StoreOperation.Read;
import dev.courier.storage.StoreOperation.Retain;
import dev.courier.storage.StoreOperation.Stop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable storage for every topic, behind one writer thread that does group commit: it drains
 * every pending operation, writes each log touched once, forces once (with {@code fsync: always}),
 * and only then hands the batch's outcomes back to the owner loop in one task: in submission order
 * per topic, topic by topic across topics ({@code docs/STORAGE.md}, "Order of outcomes"). Nothing here runs
 * on an event loop; callers only enqueue. This class is the queue, the lifecycle and the thread;
 * what one batch does to the files is {@link GroupCommit}'s.
 *
 * <p>Layout: {@code data_dir/topics/<topic>/messages/*.seg}, {@code .../groups/*.seg},
 * {@code .../checkpoint}. See {@code docs/STORAGE.md}.
 */
public final class MessageStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageStore.class);
  /** Bounds one group commit, so that one huge burst cannot delay its first confirmations long. */
  private static final int MAX_BATCH_OPERATIONS = 8192;

  /** What every publish is told once the storage thread has met an error it cannot reason about. */
  static final String FAILED_REASON = "storage unavailable: storage has failed (see the broker log); "
      + "the broker must be restarted";
  /** Storage ERROR lines a second; the rest are counted (a window-1 producer would log one per publish). */
  private static final int ERRORS_PER_SECOND = 1;

  private final StorageOptions options;
  private final Executor ownerLoop;
  private final LinkedBlockingQueue<StoreOperation> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final StorageFiles files;
  private final WarnLimiter errors = new WarnLimiter(log, ERRORS_PER_SECOND);
  private final GroupCommit commit;
  private final CommitPacing pacing;
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
    this.commit = new GroupCommit(options, files);
    this.pacing = new CommitPacing(options.fsync(), options.commitWaitNanos());
    this.writer = new Thread(this::run, "courier-storage");
  }

  // ---- what callers enqueue (any thread) ----

  /** Stores a message; its id and timestamp are assigned here, in order. */
  public void append(String topic, String payload, String key, Map<String, String> headers, boolean base64,
      AppendCallback callback) {
    append(topic, payload, key, headers, base64, null, 0, callback);
  }

  /** Stores a message with the producer's {@code dedupId} (null: none) and {@code ttlMillis} (0: none) in its record. */
  public void append(String topic, String payload, String key, Map<String, String> headers, boolean base64,
      String dedupId, long ttlMillis, AppendCallback callback) {
    append(topic, payload, key, headers, base64, dedupId, ttlMillis, 0, callback);
  }

  /** As above, for a delayed publish due at {@code deliverAtMillis} (epoch ms; 0: not delayed). */
  public void append(String topic, String payload, String key, Map<String, String> headers, boolean base64,
      String dedupId, long ttlMillis, long deliverAtMillis, AppendCallback callback) {
    if (failed && !writer.isAlive()) {
      ownerLoop.execute(() -> callback.failed(FAILED_REASON)); // nobody is left to drain the queue
      return;
    }
    queue.add(new Append(topic, new StoredMessage(0, 0, key, headers, base64, payload, dedupId, ttlMillis,
        deliverAtMillis), callback));
  }

  /** Journals a change of group state; no answer. */
  public void journal(String topic, GroupEvent event) {
    queue.add(new Event(topic, event));
  }

  /** Replaces the topic's group events so far by these positions. */
  public void checkpoint(String topic, List<GroupPosition> positions) {
    checkpoint(topic, positions, List.of());
  }

  /** Replaces the topic's group events so far by these positions, and keeps the topic's dedup window with them. */
  public void checkpoint(String topic, List<GroupPosition> positions, List<dev.courier.core.DedupKey> dedupKeys) {
    queue.add(new CheckpointRequest(topic, positions, dedupKeys));
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
      if (!Names.isValid(name)) {
        // A folder from before the name rule tightened (a leading dot): left as it is, never guessed at.
        log.warn("ignoring {}: {} is not a topic name ({}); its messages are not recovered until the folder is"
            + " renamed to a valid name, under which the topic then comes back", dir.toAbsolutePath(), name,
            Names.DESCRIPTION);
        continue;
      }
      TopicRecovery recovery = TopicRecovery.run(name, dir, options, files);
      commit.recovered(name, recovery.store());
      recovered.add(recovery.topic());
    }
    log.info("storage holds {} topics, {} bytes of logs; {} segment channels open of max_open_files={}",
        commit.topicCount(), commit.diskBytes(), files.openFiles().openCount(), files.openFiles().capacity());
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
    for (TopicStore store : commit.stores()) {
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

  /** Operations that queued up while the last commit wrote and forced, before its hand-back (CommitPacing). */
  private int queuedDuringCommit;

  private void run() {
    List<StoreOperation> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        StoreOperation first = options.fsync() == FsyncMode.INTERVAL
            ? queue.poll(Math.max(1, commit.nanosUntilIntervalForce()), TimeUnit.NANOSECONDS)
            : queue.take();
        if (first == null) {
          commit.forceDirtyOnInterval();
          continue;
        }
        batch.add(first);
        long waitNanos = pacing.waitNanos(queuedDuringCommit);
        queuedDuringCommit = 0;
        if (waitNanos > 0) {
          LockSupport.parkNanos(waitNanos); // CommitPacing: let the batch gather
        }
        queue.drainTo(batch, MAX_BATCH_OPERATIONS - 1);
        long startNanos = System.nanoTime();
        stopping = process(batch);
        pacing.committed(System.nanoTime() - startNanos);
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
      commit.forceAll();
    }
    log.info("storage writer stopped after {} forces", commit.forces());
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

  /**
   * One group commit; after a failure, every append is refused in order and nothing touches a
   * file. Returns true when a Stop was among the operations.
   */
  private boolean process(List<StoreOperation> batch) {
    GroupCommit.Outcomes outcomes = new GroupCommit.Outcomes();
    try {
      if (!failed) {
        commit.process(batch, outcomes);
      }
    } catch (Throwable e) {
      fail(e);
    } finally {
      if (failed) {
        outcomes.refuseUnanswered(batch, FAILED_REASON);
      }
      queuedDuringCommit = queue.size(); // before the hand-back: whatever its answers bring is no company
      if (!outcomes.runnables.isEmpty()) {
        handBack(outcomes.runnables);
      }
    }
    return batch.stream().anyMatch(Stop.class::isInstance);
  }

  /** A loop that refuses work (it is closing) is not a storage failure: say so, and go on. */
  private void handBack(List<Runnable> runnables) {
    try {
      ownerLoop.execute(() -> runnables.forEach(Runnable::run));
    } catch (RuntimeException e) {
      errors.error("cannot hand {} storage outcomes back to the owner loop: {}", runnables.size(), e.toString());
    }
  }

  /** Has {@code fsyncNanos} told, on the storage thread, how long each force of a topic's logs took (for /metrics). */
  public void observeForces(java.util.function.LongConsumer fsyncNanos) {
    commit.observeForces(fsyncNanos);
  }

  /**
   * Bytes of each topic's logs on disk (messages and group events), as the storage thread last
   * left them: a live read-only view, safe to read from any thread without waiting.
   */
  public java.util.Map<String, Long> logBytes() {
    return commit.logBytes();
  }

  /** The store's budget of open segment channels; for tests, once the storage thread has stopped. */
  OpenFiles openFiles() {
    return files.openFiles();
  }

  /** Bytes of logs on disk as the store counts them; for tests, once the storage thread has stopped. */
  long diskBytes() {
    return commit.diskBytes();
  }
}
