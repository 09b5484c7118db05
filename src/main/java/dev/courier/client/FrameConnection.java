package dev.courier.client;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameDecoder;
import dev.courier.protocol.OutboundFrames;
import dev.courier.protocol.FrameException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/**
 * The client side of the framing, shared by the producer and the consumer: connects, registers,
 * hands every received frame to a handler, and sends frames in one write each.
 */
public final class FrameConnection {
  /** Frames from the broker are small except messages; this bounds what a client buffers. */
  private static final int MAX_INBOUND_FRAME_BYTES = 64 * 1024 * 1024;
  /** A loopback or LAN connect takes milliseconds; an address that drops SYNs must not hang a client. */
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final NetClient client;
  private final NetSocket socket;
  private final Promise<Void> closed = Promise.promise();
  private final OutboundFrames outbound;
  private String failure;

  private FrameConnection(NetClient client, NetSocket socket, Handler<Frame> onFrame) {
    this.client = client;
    this.socket = socket;
    this.outbound = new OutboundFrames(socket, Vertx.currentContext(), () -> { });
    FrameDecoder.reading(socket, MAX_INBOUND_FRAME_BYTES, FrameCodec.Accept.ANY, new FrameDecoder.Listener() {
      @Override
      public void onFrame(Frame frame) {
        onFrame.handle(frame);
      }

      @Override
      public void onInvalidFrame(FrameException error) {
        failure = "the peer sent bytes that are not Courier frames (" + error.getMessage() + ")";
        socket.close();
      }

      @Override
      public void onTruncated(int received, int expected) {
        failure = "connection closed mid-frame";
      }
    });
    socket.closeHandler(v -> {
      client.close();
      closed.tryComplete();
    });
  }

  /** Connects and sends {@code register} (none when it is null, e.g. to ask only for stats). */
  public static Future<FrameConnection> open(Vertx vertx, String host, int port, Frame.Register register,
      Handler<Frame> onFrame) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(CONNECT_TIMEOUT_MS));
    return client.connect(port, host)
        .recover(e -> {
          client.close();
          return Future.failedFuture("cannot connect to " + host + ":" + port + ": " + e.getMessage());
        })
        .map(socket -> {
          FrameConnection connection = new FrameConnection(client, socket, onFrame);
          if (register != null) {
            connection.send(register);
          }
          return connection;
        });
  }

  /**
   * Sends one frame. Frames sent in one event-loop turn are written together (one write and
   * flush instead of one per frame); the future completes when the write holding this frame has.
   */
  public Future<Void> send(Frame frame) {
    return outbound.add(frame);
  }

  /** True while the socket is backed up, counting frames gathered but not yet written. */
  public boolean writeQueueFull() {
    return outbound.isBackedUp();
  }

  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  /** Completes when the socket is closed, by either side. */
  public Future<Void> closed() {
    return closed.future();
  }

  /** Why the connection failed on the client's side, or null. */
  public String failure() {
    return failure;
  }

  public Future<Void> close() {
    outbound.flush();
    socket.close();
    return closed.future();
  }
}
