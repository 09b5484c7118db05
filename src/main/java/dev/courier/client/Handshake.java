package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Connects, registers and waits for the broker to accept the registration, within one deadline.
 *
 * <p>A successful {@code register} has no reply, so the handshake sends a {@code stats} request
 * right after it: replies come in request order (docs/PROTOCOL.md, "Reply order"), so an
 * {@code error} before the {@code stats_reply} is the register's refusal ({@code unknown_topic},
 * {@code invalid_name}, {@code limit_reached}), and a {@code stats_reply} first means it was
 * accepted. A peer that sends no such reply within the deadline, or closes, or sends bytes that
 * are not frames, is not a Courier broker, and the client says so instead of waiting for ever.
 * Frames that arrive before the reply (a consumer's first deliveries) are handed on after it.
 */
public final class Handshake {
  /** A broker on a LAN answers in milliseconds; 5 s also covers a cold JVM and a busy disk. */
  public static final long DEFAULT_DEADLINE_MS = 5_000;

  private final Promise<FrameConnection> done = Promise.promise();
  private final List<Frame> early = new ArrayList<>();
  private final String address;
  private final Handler<Frame> onFrame;
  private final long deadlineMs;
  private FrameConnection connection;

  private Handshake(String address, Handler<Frame> onFrame, long deadlineMs) {
    this.address = address;
    this.onFrame = onFrame;
    this.deadlineMs = deadlineMs;
  }

  /** Connected and registered (when {@code register} is not null); frames then go to {@code onFrame}. */
  public static Future<FrameConnection> open(Vertx vertx, String host, int port, Frame.Register register,
      long deadlineMs, Handler<Frame> onFrame) {
    Handshake handshake = new Handshake(host + ":" + port, onFrame, deadlineMs);
    long timer = vertx.setTimer(deadlineMs, t -> handshake.fail(handshake.notCourier(
        "no answer within " + deadlineMs + " ms")));
    FrameConnection.open(vertx, host, port, register, handshake::onFrame)
        .onSuccess(handshake::connected)
        .onFailure(e -> handshake.fail(e.getMessage()));
    return handshake.done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void connected(FrameConnection c) {
    if (done.future().isComplete()) {
      c.close();
      return;
    }
    connection = c;
    c.send(new Frame.Stats(null, 1));
    c.closed().onComplete(v -> fail(notCourier(c.failure() != null ? c.failure()
        : "it closed the connection without answering")));
  }

  private void onFrame(Frame frame) {
    if (done.future().isComplete()) {
      onFrame.handle(frame);
    } else if (frame instanceof Frame.StatsReply) {
      if (done.tryComplete(connection)) {
        early.forEach(onFrame::handle);
        early.clear();
      }
    } else if (frame instanceof Frame.Error error) {
      fail("the broker at " + address + " refused to register: " + BrokerErrors.describe(error));
    } else {
      early.add(frame);
    }
  }

  private String notCourier(String why) {
    return "nothing at " + address + " speaks Courier: " + why + "; check --host and --port";
  }

  private void fail(String message) {
    if (done.tryFail(message) && connection != null) {
      connection.close();
    }
  }
}
