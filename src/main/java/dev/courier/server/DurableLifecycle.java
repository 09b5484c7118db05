package dev.courier.server;

import dev.courier.config.BrokerConfig;
import dev.courier.core.Broker;
import dev.courier.storage.DataDirLock;
import dev.courier.storage.FsyncMode;
import dev.courier.storage.MessageStore;
import dev.courier.storage.RecoveredTopic;
import dev.courier.storage.StorageOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage: "durable"} beside the broker, over its life: the data_dir lock, recovery into
 * the core, the periodic checkpoint and retention, and closing. Blocking steps run off the loop;
 * everything else on the broker's event loop.
 */
final class DurableLifecycle {
  // The verticle's logger: these lifecycle lines are the broker's, as they were before this class.
  private static final Logger log = LoggerFactory.getLogger(BrokerVerticle.class);

  private final Vertx vertx;
  private final BrokerConfig config;
  private final MessageStore store;
  private final Broker broker;
  /** Held from before recovery reads data_dir until the storage is closed. */
  private DataDirLock dataDirLock;
  private long checkpointTimer = -1;

  DurableLifecycle(Vertx vertx, BrokerConfig config, MessageStore store, Broker broker) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.broker = broker;
  }

  /** For the HTTP listener's readiness and fsync figures. */
  MessageStore store() {
    return store;
  }

  /** The store of this config; {@code ownerLoop} runs its outcomes (the broker's event loop). */
  static MessageStore store(BrokerConfig config, Executor ownerLoop) {
    return new MessageStore(new StorageOptions(Path.of(config.dataDir()), FsyncMode.fromConfig(config.fsync()),
        config.fsyncIntervalMs(), config.segmentBytes(), config.retentionMs(), config.retentionBytes(),
        config.maxDiskBytes(), config.topicMemoryBytes(), config.maxOpenFiles(),
        java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(config.commitWaitUs())), ownerLoop);
  }

  /** Locks data_dir, rebuilds every topic on it in the broker, then starts writing and checkpointing. */
  Future<Void> start() {
    return lockDataDir().compose(v -> recover());
  }

  /** Before anything in data_dir is read: a second broker on the same folder must not start. */
  private Future<Void> lockDataDir() {
    return vertx.executeBlocking(() -> DataDirLock.acquire(Path.of(config.dataDir()))).map(lock -> {
      dataDirLock = lock;
      log.info("data_dir {} locked by this broker (pid {})", lock.dir(), ProcessHandle.current().pid());
      return null;
    });
  }

  /** Reads the data directory off the loop, then rebuilds every topic on it. */
  private Future<Void> recover() {
    long startNanos = System.nanoTime();
    return vertx.executeBlocking(store::recover).map(recovered -> {
      long messages = 0;
      for (RecoveredTopic topic : recovered) {
        broker.restore(topic.topic());
        messages += topic.messages().size() + topic.topic().pagedSizes().length;
      }
      store.start();
      checkpointTimer = vertx.setPeriodic(config.checkpointIntervalMs(), t -> checkpointAndRetain());
      log.info("recovered {} topics with {} messages to deliver from {} in {} ms (storage durable, fsync {})",
          recovered.size(), messages, dataDirLock.dir(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
          config.fsync());
      return null;
    });
  }

  /**
   * Bounds what recovery replays, and lets storage delete what every group has acked. Only topics
   * whose groups moved are checkpointed: each checkpoint forces files, and idle topics by the
   * thousand would keep the storage thread (and every publish) waiting on the disk.
   */
  void checkpointAndRetain() {
    for (String topic : broker.takeTopicsToCheckpoint()) {
      store.checkpoint(topic, broker.positions(topic), broker.dedupKeys(topic));
    }
    store.retain(broker.firstRetainedIds(), broker::storedFrom);
  }

  /** Writes and forces what is queued, closes the logs and lets the lock go; also after a failed start. */
  Future<Void> close() {
    vertx.cancelTimer(checkpointTimer);
    return vertx.executeBlocking(() -> {
      try {
        store.close();
      } finally {
        if (dataDirLock != null) {
          dataDirLock.close();
          dataDirLock = null;
        }
      }
      return null;
    });
  }
}
