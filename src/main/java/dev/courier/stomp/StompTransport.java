package dev.courier.stomp;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;

/**
 * The byte stream one STOMP connection runs over: a TCP socket on {@code stomp_port}, or a
 * WebSocket on the HTTP listener's {@code /stomp}. One {@link StompConnection} serves both, so the
 * two transports cannot disagree on a rule. Its handlers run on the broker's loop.
 */
interface StompTransport {
  /** Where writes go; a WebSocket sends each write as one binary message. */
  WriteStream<Buffer> output();

  /** Sets the handlers, called on the broker's loop; {@code failed} sees socket errors (a close follows). */
  void handlers(Handler<Buffer> data, Runnable closed, Runnable drained, Handler<Throwable> failed);

  void pause();

  void resume();

  void close();

  /** The peer's host, for max_connections_per_address and the logins' throttle. */
  String remoteHost();

  /** The peer as a log line shows it. */
  String describe();

  static StompTransport of(NetSocket socket) {
    return new StompTransport() {
      @Override
      public WriteStream<Buffer> output() {
        return socket;
      }

      @Override
      public void handlers(Handler<Buffer> data, Runnable closed, Runnable drained, Handler<Throwable> failed) {
        socket.exceptionHandler(failed);
        socket.handler(data);
        socket.closeHandler(v -> closed.run());
        socket.drainHandler(v -> drained.run());
      }

      @Override
      public void pause() {
        socket.pause();
      }

      @Override
      public void resume() {
        socket.resume();
      }

      @Override
      public void close() {
        socket.close();
      }

      @Override
      public String remoteHost() {
        return host(socket.remoteAddress());
      }

      @Override
      public String describe() {
        return String.valueOf(socket.remoteAddress());
      }
    };
  }

  /**
   * A WebSocket accepted on the HTTP listener's loop ({@code own}), served on the broker's loop
   * ({@code broker}): every event hops to the broker's loop in the order it happened (one loop's
   * tasks run in submission order), and pause, resume and close hop back to the WebSocket's.
   * Writes need no hop: Vert.x writes from any thread onto the socket's own loop.
   */
  static StompTransport of(ServerWebSocket webSocket, Context own, Context broker) {
    return new StompTransport() {
      private Handler<Buffer> data;
      private Runnable closed;
      private Runnable drained;
      private Handler<Throwable> failed;

      {
        // Now, on the WebSocket's loop, so that nothing it receives before the broker's loop
        // takes it is dropped; a connection refused at the door never sets the handlers.
        webSocket.handler(buffer -> broker.runOnContext(v -> {
          if (data != null) {
            data.handle(buffer);
          }
        }));
        webSocket.closeHandler(x -> broker.runOnContext(v -> {
          if (closed != null) {
            closed.run();
          }
        }));
        webSocket.exceptionHandler(e -> broker.runOnContext(v -> {
          if (failed != null) {
            failed.handle(e);
          }
        }));
        webSocket.drainHandler(x -> broker.runOnContext(v -> {
          if (drained != null) {
            drained.run();
          }
        }));
      }

      @Override
      public WriteStream<Buffer> output() {
        return webSocket;
      }

      @Override
      public void handlers(Handler<Buffer> data, Runnable closed, Runnable drained, Handler<Throwable> failed) {
        this.failed = failed;
        this.data = data;
        this.closed = closed;
        this.drained = drained;
      }

      @Override
      public void pause() {
        own.runOnContext(v -> webSocket.pause());
      }

      @Override
      public void resume() {
        own.runOnContext(v -> webSocket.resume());
      }

      @Override
      public void close() {
        own.runOnContext(v -> webSocket.close());
      }

      @Override
      public String remoteHost() {
        return host(webSocket.remoteAddress());
      }

      @Override
      public String describe() {
        return webSocket.remoteAddress() + " (WebSocket)";
      }
    };
  }

  private static String host(SocketAddress address) {
    return address == null ? "unknown" : address.hostAddress();
  }
}
