package dev.courier.stomp;

import io.vertx.core.Future;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The STOMP listener on {@code stomp_port} (docs/STOMP.md): a second door to the same broker, on
 * the broker's event loop. Its own {@link NetServer} rather than vertx-stomp's StompServer, which
 * hands its frame parser the socket with no way to pause it (so SENDs could not be bounded with
 * back-pressure), never checks {@code writeQueueFull}, and keeps its state behind locks; the frame
 * parser, frame type and header escaping are vertx-stomp's.
 */
public final class StompListener {
  private static final Logger log = LoggerFactory.getLogger(StompListener.class);

  private final StompContext context;
  private final Map<Long, StompConnection> connections = new LinkedHashMap<>();
  private NetServer server;
  private long nextId = 1;
  private boolean stopping;

  public StompListener(StompContext context) {
    this.context = context;
  }

  /** Binds {@code stomp_port} on {@code host}, with the broker port's TLS settings. */
  public Future<Void> listen() {
    var config = context.config();
    server = context.vertx().createNetServer(context.tls().apply(new NetServerOptions()
        .setHost(config.host())
        .setPort(config.stompPort())
        .setTcpNoDelay(true)));
    server.connectHandler(this::accept);
    return server.listen()
        // Not "listening on": that line is the broker port's, which launchers and tests look for.
        .onSuccess(s -> log.info("STOMP listener bound to {}:{} (STOMP {}, heart-beat {} ms)", config.host(), s.actualPort(),
            StompVersions.SUPPORTED, config.stompHeartBeatMs()))
        .onFailure(e -> log.error("cannot listen for STOMP on {}:{}: {}", config.host(), config.stompPort(),
            e.getMessage()))
        .mapEmpty();
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting and closes every STOMP connection (their in-flight messages go back to their groups). */
  public Future<Void> close() {
    stopping = true;
    if (server == null) {
      return Future.succeededFuture();
    }
    for (StompConnection connection : new ArrayList<>(connections.values())) {
      connection.close();
    }
    return server.shutdown(context.config().drainTimeoutMs() + 1_000, TimeUnit.MILLISECONDS);
  }

  private void accept(NetSocket socket) {
    if (stopping) {
      socket.close();
      return;
    }
    String address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    int maxConnections = context.config().maxConnections();
    if (connections.size() >= maxConnections) {
      refuse(socket, "the broker has reached max_connections (" + maxConnections + ") STOMP connections");
      return;
    }
    if (!context.quotas().openFromAddress(address)) {
      refuse(socket, "this address has max_connections_per_address ("
          + context.quotas().maxConnectionsPerAddress() + ") open connections already");
      return;
    }
    long id = nextId++;
    StompConnection connection = new StompConnection(id, socket, context, () -> {
      connections.remove(id);
      context.quotas().closedFromAddress(address);
    });
    connections.put(id, connection);
    connection.start();
  }

  private void refuse(NetSocket socket, String message) {
    context.warnings().warn("refusing STOMP connection from {}: {}", socket.remoteAddress(), message);
    socket.write(StompFrames.error(message, null).toBuffer()).onComplete(ar -> socket.close());
  }
}
