package dev.courier.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one setup of every durable socket test: a temporary data_dir, the broker on it with durable
 * storage, and restarts (a graceful stop, then a new broker on the same folder). Built only on
 * {@link TestBroker#deploy}, so it does not care how a broker wires its storage.
 */
final class DurableBroker {
  private final Vertx vertx;
  /** Where every deploy starts: not a broker's context, whose deployment would become the parent. */
  private final Context home;
  private final Path dataDir;
  private final Map<String, Object> settings;
  private TestBroker running;

  /**
   * {@code keyValues} (key, value, key, value...) apply to every start of this broker, after
   * {@link TestBroker#storageSettings}'s (durable storage in {@code dataDir}, a long ack timeout).
   * Construct it in the test method itself (not in a callback on a broker's loop): its context is
   * where later deploys start from, so that a restart from inside a transcript, which runs on the
   * stopped broker's loop, does not deploy the new broker as a child of the old one.
   */
  DurableBroker(Vertx vertx, Path dataDir, Object... keyValues) {
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
    this.dataDir = dataDir;
    this.settings = TestBroker.storageSettings("durable", dataDir, keyValues);
  }

  Path dataDir() {
    return dataDir;
  }

  /** The settings every start uses. */
  Map<String, Object> settings() {
    return Map.copyOf(settings);
  }

  /** Deploys the broker with the settings and then {@code overrides} (key, value...) for this start only. */
  Future<TestBroker> start(Object... overrides) {
    if (running != null) {
      return Future.failedFuture(new IllegalStateException("the durable broker is running already"));
    }
    Map<String, Object> these = new HashMap<>(settings);
    for (int i = 0; i < overrides.length; i += 2) {
      these.put((String) overrides[i], overrides[i + 1]);
    }
    Promise<TestBroker> started = Promise.promise();
    home.runOnContext(v -> TestBroker.deploy(vertx, these).map(broker -> running = broker).onComplete(started));
    return started.future();
  }

  /** Stops the running broker gracefully (storage closed), then starts a new one on the same data_dir. */
  Future<TestBroker> restart(Object... overrides) {
    return stop().compose(v -> start(overrides));
  }

  /** Stops the running broker gracefully, if one runs; then its files may be inspected or damaged. */
  Future<Void> stop() {
    if (running == null) {
      return Future.succeededFuture();
    }
    TestBroker stopping = running;
    running = null;
    return stopping.undeploy();
  }

  /** The running broker, or null between a stop and the next start. */
  TestBroker running() {
    return running;
  }

  /** The folder of one of {@code topic}'s logs: {@code "messages"} or {@code "groups"}. */
  Path logDir(String topic, String log) {
    return dataDir.resolve("topics").resolve(topic).resolve(log);
  }

  /** The segment files of one of {@code topic}'s logs, oldest first. */
  List<Path> segments(String topic, String log) {
    try (Stream<Path> files = Files.list(logDir(topic, log))) {
      return files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
