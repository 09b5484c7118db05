package dev.courier.http;

import dev.courier.config.BrokerConfig;
import dev.courier.security.Permission;
import dev.courier.security.Principal;
import dev.courier.security.Users;
import dev.courier.server.StatsSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener (docs/HTTP.md): health checks, {@code /metrics}, the JSON API under
 * {@code /api/v1} and the dashboard, on its own event loop so that rendering JSON for a thousand
 * topics never delays a delivery. Broker state is only read through {@link BrokerView} snapshots
 * the broker's loop takes; every continuation hops back here before it touches this verticle's state.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  /** How often rates are sampled: a 60 s window holds 30 samples, and the chart moves every 2 s. */
  static final long SAMPLE_MILLIS = 2_000;
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";

  private final BrokerConfig config;
  private final BrokerView broker;
  private final Rates rates = new Rates();
  private PrometheusMeterRegistry registry;
  /** Whether the registry is our own (not Vert.x's), to close on stop. */
  private boolean ownRegistry;
  private final JvmMeters jvmMeters = new JvmMeters();
  /** The JVM's meters bound, once, on a worker at the first scrape; null until then. */
  private Future<Void> jvmMetersBound;
  private BrokerMeters meters;
  private HttpAuth auth;
  private HttpServer server;
  private long sampleTimer = -1;
  private java.util.Set<String> paused = java.util.Set.of();
  /** STOMP over WebSocket at /stomp (issue 16): null without a STOMP listener. */
  private Handler<ServerWebSocket> stompWebSockets;
  private int stompMaxFrameBytes;

  public HttpVerticle(BrokerConfig config, BrokerView broker) {
    this.config = config;
    this.broker = broker;
  }

  /**
   * Serves STOMP over WebSocket at {@code /stomp} (subprotocols v10.stomp, v11.stomp, v12.stomp, as
   * stompjs offers them): each upgraded WebSocket goes to {@code handler}, on this verticle's loop.
   * Call before deploying; {@code maxFrameBytes} bounds one WebSocket frame, as a STOMP frame is.
   */
  public void serveStompWebSockets(Handler<ServerWebSocket> handler, int maxFrameBytes) {
    this.stompWebSockets = handler;
    this.stompMaxFrameBytes = maxFrameBytes;
  }

  @Override
  public Future<?> start() {
    MeterRegistry vertxRegistry = BackendRegistries.getDefaultNow();
    if (vertxRegistry instanceof PrometheusMeterRegistry prometheus) {
      registry = prometheus;
    } else {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ownRegistry = true;
    }
    jvmMeters.bindGc(registry);
    meters = new BrokerMeters(registry, broker.storageLogBytes());
    broker.observeForces(meters::recordFsync);
    Future<Users> users = config.usersFile() == null ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> Users.load(Path.of(config.usersFile())));
    // The certificate is read on a worker, like the users file: no file is touched on the loop.
    Future<HttpServerOptions> options = config.isTls() ? vertx.executeBlocking(() -> HttpTls.options(config))
        : Future.succeededFuture(HttpTls.options(config));
    return users.compose(loaded -> options.compose(serverOptions -> {
      auth = new HttpAuth(vertx, loaded, config.anonymousAllowed());
      if (stompWebSockets != null) {
        serverOptions.setWebSocketSubProtocols(java.util.List.of("v12.stomp", "v11.stomp", "v10.stomp"))
            .setMaxWebSocketFrameSize(stompMaxFrameBytes).setMaxWebSocketMessageSize(stompMaxFrameBytes);
      }
      server = vertx.createHttpServer(serverOptions);
      return server.requestHandler(router()).listen();
    })).onSuccess(s -> {
      sampleTimer = vertx.setPeriodic(0, SAMPLE_MILLIS, t -> sample());
      // Not "listening on": process tests find the broker port by that phrase.
      log.info("HTTP API, /metrics and dashboard at {}://{}:{}/ (users {})", HttpTls.scheme(config), config.httpHost(),
          s.actualPort(), auth.hasUsers() ? "required" : "not configured");
    }).recover(e -> Future.failedFuture("the HTTP listener cannot start on " + config.httpHost() + ":"
        + config.httpPort() + ": " + e.getMessage() + "; set http_port to a free port, 0 for any, or -1 for none"));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sampleTimer);
    jvmMeters.close();
    if (ownRegistry) {
      registry.close();
    }
    if (auth != null) {
      auth.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  /**
   * The Vert.x a broker with these settings runs on: with an HTTP listener, one whose event loops,
   * sockets and HTTP server report to Micrometer, so /metrics shows Vert.x's figures beside ours.
   * Its JVM metrics are off: {@link JvmMeters} binds the same ones at the first scrape.
   * On Linux x86-64 it runs on Netty's epoll transport (docs/FOOTPRINT.md: a fifth more window-1
   * round trips than NIO here), elsewhere on NIO.
   */
  public static Vertx vertxFor(BrokerConfig config) {
    if (!config.hasHttp()) {
      return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    }
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory()).build();
  }

  /** The bound port, useful with http_port 0. */
  public int actualPort() {
    return server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    // A refusal thrown by a handler becomes its JSON error; anything else is a bug: 500, logged.
    router.route().failureHandler(rc -> {
      if (rc.failure() instanceof ApiError error) {
        fail(rc, error);
      } else {
        rc.next();
      }
    });
    if (stompWebSockets != null) {
      // Before the body handler and HTTP auth: STOMP's CONNECT carries its own login and passcode.
      router.get("/stomp").handler(rc -> {
        if (!rc.request().canUpgradeToWebSocket()) {
          fail(rc, new ApiError(400, "bad_request", "/stomp is STOMP over WebSocket: send a WebSocket upgrade"));
          return;
        }
        rc.request().toWebSocket().onSuccess(stompWebSockets).onFailure(e -> log.debug(
            "WebSocket upgrade at /stomp from {} failed: {}", rc.request().remoteAddress(), e.getMessage()));
      });
    }
    router.get("/healthz").handler(rc -> json(rc, 200, new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(this::ready);
    // Bodies first (a body handler must run before any handler that waits), bounded like a frame.
    router.post("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(config.maxFrameBytes()));
    router.route().handler(this::authenticate);
    router.get("/metrics").handler(this::metrics);
    new ApiRoutes(this).mount(router);
    router.get("/webjars/uplot/*").handler(StaticHandler.create(UPLOT));
    router.get("/*").handler(StaticHandler.create("dev/courier/http/dashboard").setCachingEnabled(false));
    router.errorHandler(404, rc -> fail(rc, new ApiError(404, "not_found", "no such endpoint: "
        + rc.request().method() + " " + rc.request().path())));
    router.errorHandler(413, rc -> fail(rc, new ApiError(413, "payload_too_large", "the body is larger than "
        + "max_frame_bytes (" + config.maxFrameBytes() + ")")));
    router.errorHandler(405, rc -> fail(rc, new ApiError(405, "method_not_allowed", rc.request().method()
        + " is not allowed on " + rc.request().path())));
    router.errorHandler(500, rc -> {
      log.error("HTTP {} {} failed", rc.request().method(), rc.request().path(), rc.failure());
      fail(rc, new ApiError(500, "internal", "the broker could not answer; its log says why"));
    });
    return router;
  }

  private void ready(RoutingContext rc) {
    here(broker.notReadyReason()).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == null) {
        json(rc, 200, new JsonObject().put("status", "ready"));
      } else {
        json(rc, 503, new JsonObject().put("status", "not_ready")
            .put("reason", ar.succeeded() ? ar.result() : ar.cause().getMessage()));
      }
    });
  }

  /** Everything past the health checks needs a principal; /metrics may stay open (metrics_open). */
  private void authenticate(RoutingContext rc) {
    boolean open = config.metricsOpen() && "/metrics".equals(rc.request().path());
    if (open || !auth.hasUsers()) {
      if (!open && !config.anonymousAllowed()) {
        fail(rc, new ApiError(401, "unauthorized", "this broker serves no one (allow_anonymous is false)"));
        return;
      }
      rc.put("principal", Principal.ANONYMOUS);
      rc.next();
      return;
    }
    String address = rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().hostAddress();
    auth.authenticate(rc.request().getHeader("Authorization"), address).onComplete(ar -> {
      if (ar.succeeded()) {
        rc.put("principal", ar.result());
        rc.next();
      } else if (ar.cause() instanceof HttpAuth.Unauthorized unauthorized) {
        rc.response().putHeader("WWW-Authenticate", "Basic realm=\"courier\", charset=\"UTF-8\"");
        fail(rc, new ApiError(401, "unauthorized", unauthorized.getMessage()));
      } else {
        rc.fail(ar.cause());
      }
    });
  }

  private void metrics(RoutingContext rc) {
    if (!config.metricsOpen()) {
      requireEverything(rc, Permission.ADMIN);
    }
    if (jvmMetersBound == null) {
      jvmMetersBound = vertx.executeBlocking(() -> {
        jvmMeters.bindOnce(registry);
        return null;
      });
    }
    here(jvmMetersBound.compose(v -> broker.snapshotStats())).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
        return;
      }
      meters.update(ar.result());
      rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
    });
  }

  private void sample() {
    here(broker.snapshotStats()).onSuccess(s -> rates.sample(System.currentTimeMillis(), s.broker(), s.topics()));
  }

  // ---- for ApiRoutes ----

  Rates rates() {
    return rates;
  }

  BrokerView broker() {
    return broker;
  }

  /** A snapshot of every topic and group; the paused groups are read in the same breath. */
  Future<StatsSnapshot> stats() {
    return here(broker.snapshotStats()).compose(snapshot -> here(broker.pausedGroups()).map(groups -> {
      paused = groups;
      return snapshot;
    }));
  }

  /** As of the last {@link #stats()}. */
  boolean isPaused(String topic, String group) {
    return paused.contains(topic + "/" + group);
  }

  /** Completes on this verticle's loop whatever loop completes {@code future}. */
  <T> Future<T> here(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  /** Throws 403 unless the request's principal has {@code permission} on every topic. */
  static void requireEverything(RoutingContext rc, Permission permission) {
    Principal who = rc.get("principal");
    if (!who.permissions().patterns(permission).coversEverything()) {
      throw ApiError.forbidden("user \"" + who.name() + "\" needs " + permission.key() + " on every topic for this");
    }
  }

  /** Throws 403 unless the request's principal has {@code permission} on {@code topic}. */
  static void require(RoutingContext rc, Permission permission, String topic) {
    Principal who = rc.get("principal");
    if (!who.permissions().allows(permission, topic)) {
      throw ApiError.forbidden("user \"" + who.name() + "\" needs " + permission.key() + " on topic \"" + topic + "\"");
    }
  }

  static void json(RoutingContext rc, int status, Object body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body instanceof JsonObject o ? o.encode() : String.valueOf(body));
  }

  static void fail(RoutingContext rc, ApiError error) {
    if (!rc.response().ended()) {
      json(rc, error.status, new JsonObject().put("error", new JsonObject().put("code", error.code)
          .put("message", error.getMessage())));
    }
  }
}
