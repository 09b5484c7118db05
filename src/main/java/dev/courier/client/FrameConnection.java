package dev.courier.client;

import dev.courier.protocol.Frame;
import dev.courier.protocol.OutboundFrames;
import dev.courier.protocol.FrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.Arrays;
import javax.net.ssl.SSLException;

/**
 * The client side of the framing, shared by the producer and the consumer: connects, registers,
 * hands every received frame to a handler, and sends frames in one write each.
 */
public final class FrameConnection {
  /** Frames from the broker are small except messages; this bounds what a client buffers. */
  private static final int MAX_INBOUND_FRAME_BYTES = 64 * 1024 * 1024;
  /** A loopback or LAN connect takes milliseconds; an address that drops SYNs must not hang a client. */
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** How {@link #failure()} and a failed {@code open} begin when TLS is the reason. */
  static final String TLS_FAILURE_PREFIX = "TLS: ";
  /** A register's or an ack's few dozen bytes; a busy turn's batch sizes the next one. */
  private static final int PLAIN_FIRST_CAPACITY = 256;

  private final NetClient client;
  private final NetSocket socket;
  private final Promise<Void> closed = Promise.promise();
  private final OutboundFrames outbound;
  private final Context loop;
  /*
   * Plain frames of this event-loop turn (PlainFrames), written here as bytes and handed to
   * `outbound` as one buffer at the end of the turn, or before any other frame so that order
   * holds: one array and one future per turn instead of a buffer per frame.
   */
  private byte[] plain = new byte[PLAIN_FIRST_CAPACITY];
  private int plainBytes;
  private Promise<Void> plainWritten;
  private boolean plainHandOverScheduled;
  private String failure;

  private FrameConnection(NetClient client, NetSocket socket, Handler<Frame> onFrame) {
    this.client = client;
    this.socket = socket;
    this.loop = Vertx.currentContext();
    this.outbound = new OutboundFrames(socket, loop, () -> { });
    InboundFrames inbound = new InboundFrames(MAX_INBOUND_FRAME_BYTES, new InboundFrames.Listener() {
      @Override
      public void onFrame(Frame frame) {
        onFrame.handle(frame);
      }

      @Override
      public void onInvalidFrame(FrameException error) {
        failure = "the peer sent bytes that are not Courier frames (" + error.getMessage() + ")";
        socket.close();
      }
    });
    socket.handler(inbound::feed);
    socket.endHandler(v -> {
      if (inbound.partialBytes() > 0 && failure == null) {
        failure = "connection closed mid-frame";
      }
    });
    // With TLS 1.3 a broker refuses a client certificate after the client's side of the handshake
    // is done: the alert arrives here, and says why the connection then closes.
    socket.exceptionHandler(e -> {
      if (failure == null) {
        failure = reason(e);
      }
    });
    socket.closeHandler(v -> {
      client.close();
      closed.tryComplete();
    });
  }

  /** Connects (over TLS when {@code tls} says so) and sends {@code register} (none when it is null, e.g. to ask only for stats). */
  public static Future<FrameConnection> open(Vertx vertx, String host, int port, ClientTls tls,
      Frame.Register register, Handler<Frame> onFrame) {
    NetClient client = vertx.createNetClient(
        tls.apply(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(CONNECT_TIMEOUT_MS)));
    return client.connect(port, host)
        .recover(e -> {
          client.close();
          return Future.failedFuture("cannot connect to " + host + ":" + port + ": " + reason(e));
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
   * Why a connection failed, in a sentence: for TLS the innermost cause ("unable to find valid
   * certification path", "bad_certificate"), which the wrappers around it only repeat or hide.
   */
  private static String reason(Throwable e) {
    boolean tls = false;
    Throwable innermost = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      tls |= t instanceof SSLException;
      innermost = t;
    }
    if (innermost instanceof NotSslRecordException) {
      // Its message hex-dumps what the broker sent instead: a plain-text port's error frame.
      return TLS_FAILURE_PREFIX + "the broker's port does not speak TLS";
    }
    return tls ? TLS_FAILURE_PREFIX + innermost.getMessage() : e.getMessage();
  }

  /**
   * Sends one frame. Frames sent in one event-loop turn are written together (one write and
   * flush instead of one per frame); the future completes when the write holding this frame has.
   */
  public Future<Void> send(Frame frame) {
    int max = PlainFrames.maxBytes(frame);
    if (max >= 0) {
      if (plainBytes + max > plain.length) {
        plain = Arrays.copyOf(plain, Math.max(plainBytes + max, plain.length * 2));
      }
      int end = PlainFrames.writeInto(frame, plain, plainBytes);
      if (end >= 0) {
        plainBytes = end;
        if (plainWritten == null) {
          plainWritten = Promise.promise();
        }
        Future<Void> written = plainWritten.future();
        if (plainBytes >= OutboundFrames.FLUSH_BYTES) {
          handOverPlain();
        } else if (!plainHandOverScheduled) {
          plainHandOverScheduled = true;
          loop.runOnContext(v -> {
            plainHandOverScheduled = false;
            handOverPlain();
          });
        }
        return written;
      }
    }
    handOverPlain();
    return outbound.add(frame);
  }

  private void handOverPlain() {
    if (plainBytes == 0) {
      return;
    }
    Buffer batch = PlainFrames.wrap(plain, plainBytes);
    Promise<Void> written = plainWritten;
    plain = new byte[Math.max(PLAIN_FIRST_CAPACITY, Math.min(plainBytes, OutboundFrames.FLUSH_BYTES))];
    plainBytes = 0;
    plainWritten = null;
    outbound.addEncoded(batch).onComplete(written);
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
    handOverPlain();
    outbound.flush();
    socket.close();
    return closed.future();
  }
}
