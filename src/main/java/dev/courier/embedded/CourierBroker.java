package dev.courier.embedded;

import dev.courier.config.BrokerConfig;
import dev.courier.core.BrokerStats;
import dev.courier.http.HttpVerticle;
import dev.courier.server.BrokerVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A Courier broker inside the caller's JVM, for tests and single-process applications: the same
 * {@link BrokerVerticle} the {@code courier broker} command runs, deployed on a Vert.x instance the
 * caller passes or on one of its own. Clients reach it over TCP on {@link #port()}, exactly as they
 * reach a standalone broker.
 *
 * <pre>{@code
 * try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
 *   ... ClientOptions.builder().port(broker.port()) ...
 * }
 * }</pre>
 */
public final class CourierBroker implements AutoCloseable {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final BrokerVerticle verticle;
  private final String deploymentId;
  private final BrokerConfig config;
  private boolean stopped;

  private CourierBroker(Vertx vertx, boolean ownsVertx, BrokerVerticle verticle, String deploymentId,
      BrokerConfig config) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
    this.config = config;
  }

  /**
   * Settings for a broker that keeps messages in memory and listens on 127.0.0.1 at a port the
   * system picks, without its STOMP and HTTP listeners (their default ports are fixed, so two
   * brokers on one machine, or one beside a standalone broker, would clash): what a test usually
   * wants. Ask for them with {@link BrokerConfig#with(Map)}, e.g. {@code "http_port", 0}.
   */
  public static BrokerConfig memoryConfig() {
    return localConfig(Map.of("storage", "memory"));
  }

  /** As {@link #memoryConfig()}, but durable: messages are fsynced to {@code dataDir} before {@code ok}. */
  public static BrokerConfig durableConfig(Path dataDir) {
    return localConfig(Map.of("storage", "durable", "data_dir", dataDir.toString()));
  }

  private static BrokerConfig localConfig(Map<String, Object> storage) {
    Map<String, Object> settings = new HashMap<>(storage);
    settings.put("host", "127.0.0.1");
    settings.put("port", 0);
    settings.put("stomp_port", -1);
    settings.put("http_port", -1);
    // Stopping an embedded broker must not wait for consumers that are gone with the test.
    settings.put("drain_timeout_ms", 0);
    return BrokerConfig.defaults().with(settings);
  }

  /**
   * Starts a broker on {@code vertx}; the future completes once it listens (and, when durable, has
   * recovered its data dir). {@link #stop()} undeploys it and leaves {@code vertx} running.
   */
  public static Future<CourierBroker> start(Vertx vertx, BrokerConfig config) {
    BrokerVerticle verticle = new BrokerVerticle(config);
    return vertx.deployVerticle(verticle).map(id -> new CourierBroker(vertx, false, verticle, id, config));
  }

  /**
   * Starts a broker on a Vert.x instance of its own and waits until it listens: for plain Java
   * code and JUnit tests. Blocks, so it refuses to run on an event loop. {@link #stop()} closes
   * that Vert.x instance.
   *
   * @throws IllegalStateException when called on a Vert.x event loop
   * @throws RuntimeException when the broker cannot start (port taken, data dir locked, ...)
   */
  public static CourierBroker start(BrokerConfig config) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("CourierBroker.start(config) blocks: use start(vertx, config) on an event loop");
    }
    Vertx vertx = HttpVerticle.vertxFor(config);
    BrokerVerticle verticle = new BrokerVerticle(config);
    try {
      String id = vertx.deployVerticle(verticle).await();
      return new CourierBroker(vertx, true, verticle, id, config);
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
  }

  /** The TCP port the broker listens on (the one the system picked when the config says 0). */
  public int port() {
    return verticle.actualPort();
  }

  /** The address it listens on, from the config's {@code host}. */
  public String host() {
    return config.host();
  }

  /** Where a durable broker keeps its data; null when it keeps messages in memory only. */
  public Path dataDir() {
    return config.isDurable() ? Path.of(config.dataDir()) : null;
  }

  /** The settings it runs with. */
  public BrokerConfig config() {
    return config;
  }

  /** The broker's counters (published, delivered, acked, ready, in flight, consumers), taken on its loop. */
  public Future<BrokerStats> stats() {
    return verticle.stats();
  }

  /** The Vert.x instance it runs on. */
  public Vertx vertx() {
    return vertx;
  }

  /**
   * Stops gracefully: the broker drains for {@code drain_timeout_ms}, closes its connections,
   * checkpoints and closes its storage; once the future completes another broker may open the
   * same data dir. Stopping twice is harmless.
   */
  public Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    Future<Void> undeployed = vertx.undeploy(deploymentId);
    if (!ownsVertx) {
      return undeployed;
    }
    // Closed from a thread outside Vert.x: a close begun on one of its own loops would complete
    // its future on a loop that has just terminated, and no one would hear of it.
    Promise<Void> closed = Promise.promise();
    undeployed.onComplete(ar -> CompletableFuture.runAsync(() -> vertx.close().onComplete(c ->
        closed.handle(ar.failed() ? Future.failedFuture(ar.cause()) : c))));
    return closed.future();
  }

  /** {@link #stop()} and wait for it; refuses to run on an event loop. */
  @Override
  public void close() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("CourierBroker.close() blocks: use stop() on an event loop");
    }
    stop().await();
  }
}
