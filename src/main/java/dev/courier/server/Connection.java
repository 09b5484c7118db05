package dev.courier.server;

import dev.courier.core.AckResult;
import dev.courier.core.Broker;
import dev.courier.core.Consumer;
import dev.courier.core.Message;
import dev.courier.core.Subscription;
import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameDecoder;
import dev.courier.protocol.FrameException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: decodes its frames, enforces the register-first state machine, and turns
 * frames into broker calls and broker deliveries into frames. Lives on the broker's event loop.
 * The error tiers and codes are those of {@code docs/PROTOCOL.md}.
 */
final class Connection implements Consumer, FrameDecoder.Listener {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final Buffer OK_FRAME = FrameCodec.encode(Frame.Ok.INSTANCE);

  private enum State { AWAITING_REGISTER, PRODUCER, CONSUMER, CLOSING, CLOSED }

  private final long id;
  private final String name;
  private final NetSocket socket;
  private final Vertx vertx;
  private final Broker broker;
  private final WarnLimiter warnings;
  private final Runnable onClosed;
  private final FrameDecoder decoder;
  private State state = State.AWAITING_REGISTER;
  private Subscription subscription;
  private long registerTimer = -1;

  Connection(long id, NetSocket socket, Vertx vertx, Broker broker, int maxFrameBytes,
      WarnLimiter warnings, Runnable onClosed) {
    this.id = id;
    this.name = "conn=" + id;
    this.socket = socket;
    this.vertx = vertx;
    this.broker = broker;
    this.warnings = warnings;
    this.onClosed = onClosed;
    // With a wrapping parser, cleanup belongs on the socket's close handler: the parser owns the
    // socket's data, end and exception handlers.
    this.decoder = FrameDecoder.reading(socket, maxFrameBytes, this);
    socket.closeHandler(v -> closed());
    socket.exceptionHandler(e -> log.debug("{} socket error: {}", name, e.toString()));
  }

  void start(long registerTimeoutMs) {
    registerTimer = vertx.setTimer(registerTimeoutMs, t -> {
      registerTimer = -1;
      if (state == State.AWAITING_REGISTER) {
        fail(ErrorCode.REGISTER_TIMEOUT, "no register frame within " + registerTimeoutMs + " ms");
      }
    });
    log.debug("{} opened from {}", name, socket.remoteAddress());
  }

  long id() {
    return id;
  }

  boolean isProducer() {
    return state == State.PRODUCER;
  }

  /** Closes the socket; the close handler does the cleanup. */
  void close() {
    if (state != State.CLOSED) {
      state = State.CLOSING;
      socket.close();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean canAccept() {
    return state == State.CONSUMER && !socket.writeQueueFull();
  }

  @Override
  public void deliver(Message message, int attempt) {
    socket.write(FrameCodec.encode(new Frame.Message(message.id(), message.payload())));
  }

  @Override
  public void onFrame(Frame frame) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    try {
      if (frame instanceof Frame.Publish publish) {
        onPublish(publish);
      } else if (frame instanceof Frame.Ack ack) {
        onAck(ack);
      } else if (frame instanceof Frame.Register register) {
        onRegister(register);
      } else {
        reject(ErrorCode.UNKNOWN_TYPE, "a client may not send " + typeName(frame) + " frames");
      }
    } catch (RuntimeException e) {
      // A bug in handling this connection's frame: close this connection only; the broker lives on.
      log.error("{} failed handling a {} frame; closing the connection", name, typeName(frame), e);
      fail(ErrorCode.INTERNAL_ERROR, "internal error; see the broker log for " + name);
    }
  }

  @Override
  public void onInvalidFrame(FrameException error) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (error.code().isFatal()) {
      fail(error.code(), error.getMessage());
    } else {
      reject(error.code(), error.getMessage());
    }
  }

  @Override
  public void onTruncated(int received, int expected) {
    log.debug("{} closed mid-frame ({} of {} bytes)", name, received, expected);
  }

  private void onRegister(Frame.Register register) {
    if (state != State.AWAITING_REGISTER) {
      fail(ErrorCode.ALREADY_REGISTERED, "this connection is already registered");
      return;
    }
    cancelRegisterTimer();
    if (register.role() == Frame.Role.PRODUCER) {
      state = State.PRODUCER;
      // Confirmations pile up if the producer does not read them: stop reading its publishes
      // until they drain (back-pressure instead of unbounded memory).
      socket.drainHandler(v -> decoder.resume());
    } else {
      state = State.CONSUMER;
      socket.drainHandler(v -> broker.consumerWritable());
      subscription = broker.subscribe(this);
    }
    log.info("{} registered as {} from {}", name, register.role().wireName(), socket.remoteAddress());
  }

  private void onPublish(Frame.Publish publish) {
    if (state == State.AWAITING_REGISTER) {
      fail(ErrorCode.NOT_REGISTERED, "send register before publish");
    } else if (state != State.PRODUCER) {
      reject(ErrorCode.WRONG_ROLE, "only a producer may publish; this connection registered as consumer");
    } else if (!broker.acceptsPublishes()) {
      reject(ErrorCode.SHUTTING_DOWN, "the broker is shutting down and accepts no new messages");
    } else {
      long messageId = broker.publish(publish.payload());
      if (log.isDebugEnabled()) {
        log.debug("{} published msg={} ({} chars)", name, messageId, publish.payload().length());
      }
      send(OK_FRAME.copy());
    }
  }

  private void onAck(Frame.Ack ack) {
    if (state == State.AWAITING_REGISTER) {
      fail(ErrorCode.NOT_REGISTERED, "send register before ack");
      return;
    }
    if (state != State.CONSUMER) {
      reject(ErrorCode.WRONG_ROLE, "only a consumer may ack; this connection registered as producer");
      return;
    }
    AckResult result = broker.ack(subscription, ack.id());
    switch (result) {
      case ACKED -> { }
      case UNKNOWN_MESSAGE -> reject(ErrorCode.UNKNOWN_MESSAGE, "message " + Long.toUnsignedString(ack.id())
          + " is not in flight (never delivered, already acked, or requeued after its ack timeout)");
      case NOT_OWNER -> reject(ErrorCode.NOT_OWNER, "message " + ack.id() + " was delivered to another consumer");
    }
  }

  /** Recoverable: reply and keep the connection. */
  private void reject(ErrorCode code, String message) {
    log.debug("{} error {}: {}", name, code.wireName(), message);
    send(FrameCodec.encode(new Frame.Error(message, code)));
  }

  /** Fatal: reply, then close once the reply is written. */
  private void fail(ErrorCode code, String message) {
    warnings.warn("{} closing: {} ({})", name, message, code.wireName());
    state = State.CLOSING;
    cancelRegisterTimer();
    socket.write(FrameCodec.encode(new Frame.Error(message, code))).onComplete(ar -> socket.close());
  }

  private void send(Buffer frame) {
    socket.write(frame);
    if (state == State.PRODUCER && socket.writeQueueFull()) {
      decoder.pause();
    }
  }

  private void closed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    cancelRegisterTimer();
    if (subscription != null) {
      broker.unsubscribe(subscription);
    }
    log.info("{} closed", name);
    onClosed.run();
  }

  private void cancelRegisterTimer() {
    if (registerTimer >= 0) {
      vertx.cancelTimer(registerTimer);
      registerTimer = -1;
    }
  }

  private static String typeName(Frame frame) {
    return frame.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
