package dev.courier.server;

import dev.courier.config.BrokerConfig;
import dev.courier.core.BrokerStats;
import dev.courier.core.GroupStats;
import dev.courier.core.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/** A real {@link BrokerVerticle} on 127.0.0.1 and an ephemeral port, deployed for one test. */
final class TestBroker {
  /** How long {@link #awaitStats} polls before giving up. */
  static final long DEADLINE_MS = 5_000;
  private static final long POLL_MS = 5;
  /** Far beyond every deadline of a test: see {@link #storageSettings}. */
  static final int LONG_ACK_TIMEOUT_MS = 60_000;

  final Vertx vertx;
  final BrokerVerticle verticle;
  final String deploymentId;
  final int port;

  private TestBroker(Vertx vertx, BrokerVerticle verticle, String deploymentId) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
    this.port = verticle.actualPort();
  }

  /**
   * Deploys with port 0, memory storage (durable storage has its own tests, with a temporary
   * data_dir) and {@code drain_timeout_ms} 0 (so that tearing Vert.x down never waits on messages a
   * test left unacked), then {@code overrides}.
   */
  static Future<TestBroker> deploy(Vertx vertx, Map<String, ?> overrides) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("host", "127.0.0.1");
    settings.put("port", 0);
    settings.put("drain_timeout_ms", 0);
    settings.put("storage", "memory");
    settings.put("stomp_port", -1); // STOMP's default port is fixed; its own tests set 0
    // No HTTP listener unless a test asks: test brokers run side by side and 8081 is one port.
    settings.put("http_port", -1);
    settings.putAll(overrides);
    BrokerVerticle verticle = new BrokerVerticle(BrokerConfig.defaults().with(settings));
    return vertx.deployVerticle(verticle).map(id -> new TestBroker(vertx, verticle, id));
  }

  /**
   * Settings for a broker on {@code storage} in {@code dataDir}, with an ack timeout far beyond
   * every test's deadline (no redelivery in these tests waits for one), then {@code keyValues}
   * (key, value, key, value...).
   */
  static Map<String, Object> storageSettings(String storage, Path dataDir, Object... keyValues) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("storage", storage);
    settings.put("data_dir", dataDir.toString());
    settings.put("ack_timeout_ms", LONG_ACK_TIMEOUT_MS);
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put((String) keyValues[i], keyValues[i + 1]);
    }
    return settings;
  }

  /**
   * Undeploys this broker: its graceful stop (drain, close connections, checkpoint, close storage)
   * has finished when this completes, so another broker may open the same data_dir.
   */
  Future<Void> undeploy() {
    return vertx.undeploy(deploymentId);
  }

  Future<WireClient> connect(NetClient netClient, String name) {
    return WireClient.connect(vertx, netClient, port, name);
  }

  /** Connects and sends {@code register}; the broker sends nothing back for it. */
  Future<WireClient> producer(NetClient netClient, String name) {
    return connect(netClient, name).compose(c -> c.send(WireClient.REGISTER_PRODUCER).map(c));
  }

  Future<WireClient> consumer(NetClient netClient, String name) {
    return consumer(netClient, name, WireClient.REGISTER_CONSUMER);
  }

  /**
   * Connects and sends this literal register, with no barrier: for a consumer that is given
   * messages at once, which would arrive ahead of a barrier's reply.
   */
  Future<WireClient> consumer(NetClient netClient, String name, String register) {
    return connect(netClient, name).compose(c -> c.send(register).map(c));
  }

  /**
   * A consumer whose registration the broker has processed once this completes: {@code register}
   * gets no reply, so an ack of id 0 (never assigned) serves as the barrier whose
   * {@code unknown_message} reply must come back after it.
   */
  Future<WireClient> registeredConsumer(NetClient netClient, String name) {
    return registeredConsumer(netClient, name, WireClient.REGISTER_CONSUMER);
  }

  /** As {@link #registeredConsumer(NetClient, String)}, registering with this literal frame. */
  Future<WireClient> registeredConsumer(NetClient netClient, String name, String register) {
    return connect(netClient, name).compose(c -> c.send(register).map(c))
        .compose(c -> c.send(WireClient.ack(0)).compose(v -> c.expectError("unknown_message")).map(c));
  }

  /** A producer whose registration the broker has processed: its ack is refused with wrong_role. */
  Future<WireClient> registeredProducer(NetClient netClient, String name) {
    return registeredProducer(netClient, name, WireClient.REGISTER_PRODUCER);
  }

  /** As {@link #registeredProducer(NetClient, String)}, registering with this literal frame. */
  Future<WireClient> registeredProducer(NetClient netClient, String name, String register) {
    return connect(netClient, name).compose(c -> c.send(register).map(c))
        .compose(c -> c.send(WireClient.ack(0)).compose(v -> c.expectError("wrong_role")).map(c));
  }

  Future<BrokerStats> stats() {
    return verticle.stats();
  }

  /** Totals, every topic with its groups, and the connection count, taken on the broker's loop. */
  Future<StatsSnapshot> snapshot() {
    return verticle.snapshotStats();
  }

  /** Polls the broker's stats (taken on its loop) until {@code condition} holds, or fails. */
  Future<BrokerStats> awaitStats(String description, Predicate<BrokerStats> condition) {
    return await(description, verticle::stats, condition);
  }

  /** Polls the full snapshot until {@code condition} holds, or fails. */
  Future<StatsSnapshot> awaitSnapshot(String description, Predicate<StatsSnapshot> condition) {
    return await(description, verticle::snapshotStats, condition);
  }

  /** The named topic's figures in {@code snapshot}, or null when the broker has no such topic. */
  static TopicStats topic(StatsSnapshot snapshot, String name) {
    return snapshot.topics().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  /** The named group's figures in {@code snapshot}, or null when there is no such topic or group. */
  static GroupStats group(StatsSnapshot snapshot, String topic, String group) {
    TopicStats stats = topic(snapshot, topic);
    return stats == null ? null
        : stats.groups().stream().filter(g -> g.name().equals(group)).findFirst().orElse(null);
  }

  private <T> Future<T> await(String description, Supplier<Future<T>> take, Predicate<T> condition) {
    Promise<T> promise = Promise.promise();
    poll(description, take, condition, System.nanoTime() + DEADLINE_MS * 1_000_000, promise);
    return promise.future();
  }

  private <T> void poll(String description, Supplier<Future<T>> take, Predicate<T> condition, long deadlineNanos,
      Promise<T> promise) {
    take.get().onFailure(promise::tryFail).onSuccess(stats -> {
      if (condition.test(stats)) {
        promise.tryComplete(stats);
      } else if (System.nanoTime() - deadlineNanos > 0) {
        promise.tryFail(new AssertionFailedError("stats never showed " + description + "; last " + stats));
      } else {
        vertx.setTimer(POLL_MS, t -> poll(description, take, condition, deadlineNanos, promise));
      }
    });
  }
}
