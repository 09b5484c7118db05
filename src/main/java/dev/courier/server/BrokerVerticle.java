package dev.courier.server;

import dev.courier.config.BrokerConfig;
import dev.courier.core.Broker;
import dev.courier.core.BrokerRules;
import dev.courier.core.BrokerStats;
import dev.courier.core.Clock;
import dev.courier.core.DeliveryPolicy;
import dev.courier.core.Quotas;
import dev.courier.core.TopicLimits;
import dev.courier.core.WarnLimiter;
import dev.courier.http.HttpVerticle;
import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameBudget;
import dev.courier.protocol.FrameCodec;
import dev.courier.security.UserQuotas;
import dev.courier.security.Users;
import dev.courier.storage.DurableStore;
import dev.courier.storage.MessageStore;
import dev.courier.stomp.StompListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker as a verticle: a {@link NetServer} whose connections, the {@link Broker} state and the
 * ack-timeout sweep all live on this verticle's one event loop, so nothing needs a lock. Deploy
 * exactly one instance: a second would hold a second, disconnected copy of the queue.
 *
 * <p>Launched by name ({@code VertxApplication dev.courier.server.BrokerVerticle -conf ...}) it
 * reads its settings from the verticle config; the command line passes a {@link BrokerConfig}.
 */
public final class BrokerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(BrokerVerticle.class);
  /** Peers misbehaving get at most this many WARN lines a second between them. */
  private static final int PEER_WARNINGS_PER_SECOND = 10;
  /** Frames up to this size get their own part of the frame budget (see {@link #frameBudget}). */
  private static final int SMALL_FRAME_BYTES = 64 * 1024;
  private static final int SMALL_POOL_SHARE = 8;

  private final BrokerConfig givenConfig;
  private BrokerConfig config;
  private Broker broker;
  private ConnectionContext connectionContext;
  private NetServer server;
  private final Map<Long, Connection> connections = new LinkedHashMap<>();
  private final WarnLimiter warnings = new WarnLimiter(log, PEER_WARNINGS_PER_SECOND);
  private long nextConnectionId = 1;
  private long sweepTimer = -1;
  private long frameDeadlineTimer = -1;
  private FrameBudget frameBudget;
  private Authenticator authenticator;
  private UserQuotas userQuotas;
  /** Frames handled by every connection since start; a test's proof of what a paused peer made the broker do. */
  private long framesReceived;
  /** Null with memory storage. */
  private DurableLifecycle durable;
  private boolean stopping;
  private StompListener stomp;
  /** The HTTP listener (issue 15), a child verticle: Vert.x undeploys it before this one stops. */
  private HttpVerticle http;

  /** For launching by name: settings come from the verticle's {@code -conf}. */
  public BrokerVerticle() {
    this(null);
  }

  public BrokerVerticle(BrokerConfig config) {
    this.givenConfig = config;
  }

  @Override
  public Future<?> start() {
    if (givenConfig != null) {
      config = givenConfig;
      return startBroker();
    }
    // Launched by name: no command line to drain on SIGTERM and exit 0, or to explain a failed
    // start in one line, so do both here, the way the broker command does.
    Signals.onTerminate(() -> vertx.close().onComplete(ar -> System.exit(ar.succeeded() ? 0 : 1)));
    Future<?> started;
    try {
      config = BrokerConfig.parse(config().encode(), "-conf");
      started = startBroker();
    } catch (IllegalArgumentException e) {
      started = Future.failedFuture(e);
    }
    return started.onFailure(e -> log.error("Courier broker cannot start: {}", e.getMessage()));
  }

  private Future<?> startBroker() {
    FatalErrors.haltOnVirtualMachineError(vertx);
    DeliveryPolicy policy = new DeliveryPolicy(TimeUnit.MILLISECONDS.toNanos(config.ackTimeoutMs()),
        config.maxInFlightPerConsumer(), config.maxDeliveries());
    TopicLimits limits = new TopicLimits(config.maxTopicMessages(), config.maxTopicBytes(),
        config.rejectsWhenFull() ? TopicLimits.Overflow.REJECT : TopicLimits.Overflow.PAUSE);
    Quotas quotas = new Quotas(config.maxTopics(), config.maxGroupsPerTopic());
    BrokerRules rules = new BrokerRules(policy, limits, config.autoCreateTopics(), config.topicMemoryBytes(),
        config.dedupWindowMs());
    Future<Void> ready;
    if (config.isDurable()) {
      MessageStore store = DurableLifecycle.store(config, task -> context.runOnContext(v -> task.run()));
      broker = new Broker(rules, Clock.system(), outcomes -> new DurableStore(store, outcomes));
      broker.useQuotas(quotas); // before recovery, which counts the topics it restores
      durable = new DurableLifecycle(vertx, config, store, broker);
      ready = durable.start();
    } else {
      broker = new Broker(rules, Clock.system(), null);
      broker.useQuotas(quotas);
      ready = Future.succeededFuture();
    }
    frameBudget = frameBudget(config);
    userQuotas = new UserQuotas(config.maxConnectionsPerUser(), config.maxConnectionsPerAddress(), config.maxTopicsPerUser());
    // After recovery, so that a users file that does not load never races storage being closed.
    return ready.compose(v -> loadUsers()).compose(users -> {
      authenticator = new Authenticator(vertx, users, config.anonymousAllowed(), warnings);
      connectionContext = new ConnectionContext(vertx, broker, config, warnings,
          request -> StatsSnapshot.page(broker, connections.size(), request, config.maxFrameBytes()), frameBudget,
          () -> framesReceived++, authenticator, userQuotas);
      // STOMP first: the broker port's "listening" line, which launchers and tests wait for, comes last.
      return StompBridge.start(vertx, broker, config, warnings, userQuotas, authenticator)
          .compose(listener -> {
            stomp = listener;
            return listen();
          });
    }).compose(v -> startHttp()).onFailure(e -> closeStorage());
  }

  /** After the broker port listens, so that /readyz never answers for a broker that cannot serve. */
  private Future<Void> startHttp() {
    if (!config.hasHttp()) {
      return Future.succeededFuture();
    }
    http = new HttpVerticle(config, new HttpBrokerView(new HttpBrokerView.Parts(context, config, broker, connections,
        durable == null ? null : durable.store(), userQuotas, this::snapshot, () -> stopping)));
    StompBridge.serveWebSockets(http, stomp);
    return vertx.deployVerticle(http).mapEmpty();
  }

  /** The HTTP listener's bound port; -1 without one. */
  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  /** The users file, read off the loop before anything listens; a file that does not load stops the start. */
  private Future<Users> loadUsers() {
    if (config.usersFile() == null) {
      log.info("no users_file: {}", config.anonymousAllowed()
          ? "every client is served as anonymous, with every permission" : "no client can register (allow_anonymous is false)");
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(() -> Users.load(Path.of(config.usersFile()))).onSuccess(users ->
        log.info("{} users loaded from users_file {}; anonymous clients {}", users.size(), config.usersFile(),
            config.anonymousAllowed() ? "allowed, with every permission" : "refused"));
  }

  /**
   * The budget for frames in progress, with an eighth of it kept for frames of at most 64 KiB (one
   * socket read): clients often write a length prefix and its body in two writes, so even small
   * frames can arrive in pieces, and they must not queue behind hostile 1 MiB frames. Without room
   * for both parts (a budget near max_frame_bytes) it stays one pool.
   */
  private static FrameBudget frameBudget(BrokerConfig config) {
    long total = config.maxBufferedFrameBytes();
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.frameTimeoutMs());
    long smallPool = Math.min(total / SMALL_POOL_SHARE, total - config.maxFrameBytes());
    if (smallPool < SMALL_FRAME_BYTES) {
      return new FrameBudget(total, timeoutNanos, System::nanoTime);
    }
    return FrameBudget.split(total, smallPool, SMALL_FRAME_BYTES, timeoutNanos, System::nanoTime);
  }

  /** A start that failed after recovery leaves no storage thread behind, and no lock held. */
  private Future<Void> closeStorage() {
    return durable == null ? Future.succeededFuture() : durable.close();
  }

  private Future<Void> listen() {
    config.topics().forEach(broker::createTopic);
    Future<Void> filesChecked = config.isTls()
        ? vertx.executeBlocking(() -> {
          ServerTls.checkFiles(config);
          return null;
        })
        : Future.succeededFuture();
    return filesChecked.compose(v -> {
      server = vertx.createNetServer(ServerTls.apply(config, new NetServerOptions()
          .setHost(config.host())
          .setPort(config.port())
          .setTcpNoDelay(true)));
      server.connectHandler(this::accept);
      // Failed handshakes (a plain-text client, an old protocol, a missing or foreign client
      // certificate) are the peer's doing: rate-limited, and the broker serves everyone else.
      // Netty's message may hex-dump what the peer sent: cut it, so a line stays a line.
      if (config.isTls()) {
        server.exceptionHandler(e -> warnings.warn("TLS handshake refused: {}", ServerTls.brief(e)));
      }
      return server.listen().recover(e -> Future.failedFuture(config.isTls()
          ? new IllegalStateException("tls_cert_file " + config.tlsCertFile() + ", tls_key_file "
              + config.tlsKeyFile() + (config.requiresClientCertificates() ? ", tls_client_ca_file "
              + config.tlsClientCaFile() : "") + ": cannot be used: " + e.getMessage(), e)
          : e));
    }).onSuccess(s -> {
      // A nack's delay may end before the deadline the sweep was armed for: arm it again then.
      broker.onEarlierRetry(() -> {
        if (vertx.cancelTimer(sweepTimer)) {
          armSweep();
        }
      });
      armSweep();
      armFrameDeadlines();
      if (vertx.isNativeTransportEnabled()) {
        log.info("network transport: native");
      } else {
        Throwable cause = vertx.unavailableNativeTransportCause();
        log.info("network transport: NIO ({})", cause == null ? "the Vert.x options do not prefer the native one" : cause);
      }
      log.info("Courier broker listening on {}:{} ({}, ack_timeout_ms={}, max_in_flight_per_consumer={}, max_frame_bytes={})",
          config.host(), s.actualPort(), ServerTls.describe(config), config.ackTimeoutMs(),
          config.maxInFlightPerConsumer(), config.maxFrameBytes());
    }).onFailure(e -> log.error("cannot listen on {}:{}: {}", config.host(), config.port(), e.getMessage())).mapEmpty();
  }

  /** The bound port, useful when configured with port 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /** The bound STOMP port, or -1 without a STOMP listener. */
  public int actualStompPort() {
    return stomp == null ? -1 : stomp.actualPort();
  }

  /** A snapshot of the broker's counters, taken on its event loop; callable from any thread. */
  public Future<BrokerStats> stats() {
    Promise<BrokerStats> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(broker.stats()));
    return promise.future();
  }

  /** Totals, every topic and group, and the connection count, taken on the event loop. */
  public Future<StatsSnapshot> snapshotStats() {
    Promise<StatsSnapshot> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(snapshot()));
    return promise.future();
  }

  /** What connections hold for frames in progress, and the frames handled, taken on the event loop. */
  Future<InboundLoad> inboundLoad() {
    Promise<InboundLoad> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(new InboundLoad(frameBudget.reservedBytes(), frameBudget.holders(),
        frameBudget.waiters(), framesReceived)));
    return promise.future();
  }

  /** The {@link Connection#tlsUser()} of every open connection by id, taken on the event loop. */
  Future<Map<Long, String>> tlsUsers() {
    Promise<Map<Long, String>> promise = Promise.promise();
    context.runOnContext(v -> {
      Map<Long, String> users = new LinkedHashMap<>();
      connections.forEach((id, connection) -> users.put(id, connection.tlsUser()));
      promise.complete(users);
    });
    return promise.future();
  }

  private StatsSnapshot snapshot() {
    return new StatsSnapshot(broker.stats(), broker.topicStats(), connections.size());
  }

  /**
   * Graceful shutdown: stop accepting, refuse new publishes, stop dispatching, and wait up to
   * {@code drain_timeout_ms} for the acks of what is in flight; then close every connection.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(frameDeadlineTimer);
    BrokerStats atStart = broker.stats();
    Promise<Boolean> drained = Promise.promise();
    long drainTimer = vertx.setTimer(Math.max(1, config.drainTimeoutMs()), t -> drained.tryComplete(false));
    // Stop accepting now; the connections we already have are closed below, once drained.
    Future<Void> unbound = server.shutdown(config.drainTimeoutMs() + 1_000, TimeUnit.MILLISECONDS);
    broker.beginDrain(() -> drained.tryComplete(true));
    return drained.future().compose(complete -> {
      vertx.cancelTimer(drainTimer);
      BrokerStats atEnd = broker.stats();
      long ackedDuringDrain = atEnd.acked() - atStart.acked();
      if (complete) {
        log.info("drained: {} in-flight messages acked during shutdown", ackedDuringDrain);
      } else {
        log.warn("drain timed out after {} ms: {} acked, {} still unacked", config.drainTimeoutMs(),
            ackedDuringDrain, atEnd.inFlight());
      }
      int remaining = atEnd.ready() + atEnd.inFlight();
      for (Connection connection : new ArrayList<>(connections.values())) {
        connection.close();
      }
      Future<Void> closed = stomp == null ? unbound : Future.all(unbound, stomp.close()).mapEmpty();
      if (durable == null) {
        if (remaining > 0) {
          log.warn("{} messages were still queued or unacked and are lost: storage is in memory", remaining);
        }
        return closed;
      }
      durable.checkpointAndRetain();
      log.info("{} messages still queued or unacked stay stored for the next start", remaining);
      return closed.eventually(this::closeStorage);
    }).onComplete(ar -> {
      authenticator.close();
      log.info("Courier broker stopped");
    });
  }

  private void accept(NetSocket socket) {
    if (stopping) {
      socket.close();
      return;
    }
    if (connections.size() >= config.maxConnections()) {
      warnings.warn("refusing connection from {}: max_connections={} reached", socket.remoteAddress(),
          config.maxConnections());
      socket.write(FrameCodec.encode(new Frame.Error("the broker has reached max_connections ("
          + config.maxConnections() + ")", ErrorCode.TOO_MANY_CONNECTIONS))).onComplete(ar -> socket.close());
      return;
    }
    String address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    if (!userQuotas.openFromAddress(address)) {
      warnings.warn("refusing connection from {}: max_connections_per_address={} reached", socket.remoteAddress(),
          config.maxConnectionsPerAddress());
      socket.write(FrameCodec.encode(new Frame.Error("this address has max_connections_per_address ("
          + config.maxConnectionsPerAddress() + ") open connections already", ErrorCode.TOO_MANY_CONNECTIONS)))
          .onComplete(ar -> socket.close());
      return;
    }
    long id = nextConnectionId++;
    Connection connection = new Connection(id, socket, connectionContext, () -> {
      connections.remove(id);
      userQuotas.closedFromAddress(address);
    });
    connections.put(id, connection);
    // A socket the server shuts down stays open until drained; we close it ourselves.
    socket.shutdownHandler(v -> log.debug("conn={} notified of shutdown", id));
    connection.start();
  }

  /**
   * One periodic check for the whole broker closes connections whose frame body is late, instead
   * of a timer per frame: a connection is closed between frame_timeout_ms and a quarter more
   * (at most a second more) after its body began.
   */
  private void armFrameDeadlines() {
    long periodMs = Math.max(1, Math.min(1_000, config.frameTimeoutMs() / 4));
    frameDeadlineTimer = vertx.setPeriodic(periodMs, t -> frameBudget.expire());
  }

  /**
   * One timer for the whole broker, armed for the earliest ack deadline the core reports (or one
   * ack timeout ahead when nothing is in flight, which no later delivery can expire before).
   */
  private void armSweep() {
    if (stopping) {
      return;
    }

    long nanos = broker.nanosUntilNextDeadline();
    long delayMs = nanos < 0 ? config.ackTimeoutMs() : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
    sweepTimer = vertx.setTimer(delayMs, t -> {
      broker.expire();
      armSweep();
    });
  }
}
