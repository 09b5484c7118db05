package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical connection of a {@link CourierClient} (its producer's, or one consumer's): opens
 * and registers through {@link Handshake}, and after a loss opens again with jittered, bounded
 * backoff, re-sending the same register (so a consumer resumes its subscription). Lives on the
 * client's context: every method and callback runs there.
 */
final class Link {
  private static final Logger log = LoggerFactory.getLogger(Link.class);

  /** What the owner of a link learns. */
  interface Listener {
    void connected(FrameConnection connection);

    void frame(FrameConnection connection, Frame frame);

    /** The connection was lost (or the link closed); {@code reason} says why. */
    void disconnected(String reason);

    /** No more connections will come: the link was closed or gave up. */
    void ended(String reason);
  }

  private final CourierClient client;
  private final String name;
  private final Frame.Register register;
  private final Listener listener;
  private FrameConnection current;
  private int attempt;
  private long retryTimer = -1;
  private boolean closed;

  Link(CourierClient client, String name, Frame.Register register, Listener listener) {
    this.client = client;
    this.name = name;
    this.register = register;
    this.listener = listener;
  }

  String name() {
    return name;
  }

  /** The connection frames go to now, or null while there is none. */
  FrameConnection current() {
    return current;
  }

  /** The first connect: fails (and the link ends) when the broker cannot be reached or refuses. */
  Future<Void> open() {
    Promise<Void> first = Promise.promise();
    attemptConnect(first);
    return first.future();
  }

  private void attemptConnect(Promise<Void> first) {
    ClientOptions o = client.options();
    Promise<FrameConnection> opened = Promise.promise();
    // The handler is built before the connection exists: frames are matched to it by reference.
    // Frames the handshake hands on before its future's listeners ran (a consumer's first
    // deliveries) wait in `early` until the connection is current.
    FrameConnection[] self = new FrameConnection[1];
    java.util.List<Frame> early = new java.util.ArrayList<>();
    Handshake.open(client.vertx(), o.host, o.port, o.tls, register, o.connectTimeoutMs,
            frame -> {
              if (self[0] == null) {
                early.add(frame);
              } else if (self[0] == current) {
                listener.frame(self[0], frame);
              }
            })
        .onComplete(opened);
    opened.future().onSuccess(c -> {
      self[0] = c;
      if (closed) {
        c.close();
        return;
      }
      current = c;
      attempt = 0;
      log.info("client connected conn={} broker={}:{}", name, o.host, o.port);
      client.emit(new ClientEvent(ClientEvent.Type.CONNECTED, name, 0, 0, null));
      c.closed().onComplete(v -> lost(c, c.failure() != null ? c.failure() : "the broker closed the connection"));
      listener.connected(c);
      early.forEach(frame -> listener.frame(c, frame));
      early.clear();
      if (first != null) {
        first.tryComplete();
      }
    }).onFailure(e -> {
      if (first != null) {
        end(e.getMessage());
        first.tryFail(new CourierException(CourierException.Reason.CONNECT_FAILED, e.getMessage()));
      } else {
        retry(e.getMessage());
      }
    });
  }

  private void lost(FrameConnection c, String reason) {
    if (c != current) {
      return;
    }
    current = null;
    if (closed) {
      return;
    }
    log.warn("client lost its connection conn={} reason={}", name, reason);
    client.emit(new ClientEvent(ClientEvent.Type.DISCONNECTED, name, 0, 0, reason));
    listener.disconnected(reason);
    retry(reason);
  }

  private void retry(String reason) {
    ClientOptions o = client.options();
    if (closed) {
      return;
    }
    attempt++;
    if (!o.reconnect || (o.maxReconnectAttempts > 0 && attempt > o.maxReconnectAttempts)) {
      if (o.reconnect) {
        log.warn("client gave up reconnecting conn={} attempts={} reason={}", name, attempt - 1, reason);
      }
      client.emit(new ClientEvent(ClientEvent.Type.GAVE_UP, name, attempt - 1, 0, reason));
      end(reason);
      return;
    }
    long delay = o.backoff.delayMs(attempt, ThreadLocalRandom.current()::nextDouble);
    client.emit(new ClientEvent(ClientEvent.Type.RECONNECTING, name, attempt, delay, reason));
    retryTimer = client.vertx().setTimer(delay, t -> {
      retryTimer = -1;
      if (!closed) {
        attemptConnect(null);
      }
    });
  }

  private void end(String reason) {
    closed = true;
    listener.ended(reason);
  }

  /** Closes the connection for good; no reconnect follows. */
  Future<Void> close() {
    if (closed) {
      return current == null ? Future.succeededFuture() : current.closed();
    }
    closed = true;
    if (retryTimer != -1) {
      client.vertx().cancelTimer(retryTimer);
    }
    client.emit(new ClientEvent(ClientEvent.Type.CLOSED, name, 0, 0, null));
    listener.ended("closed by the application");
    FrameConnection c = current;
    current = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
