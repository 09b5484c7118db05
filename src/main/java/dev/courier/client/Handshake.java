package dev.courier.client;

import dev.courier.protocol.ErrorCode;
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
 *
 * <p>{@code stats} needs {@code admin} on every topic (docs/SECURITY.md), which a user of the
 * users file may lack: then the first reply is {@code forbidden} whether the register or the stats
 * was refused. The handshake then sends a second {@code stats}: a refused register leaves the
 * connection acting as the anonymous client, whose first {@code stats} gets a {@code stats_reply}
 * or {@code unauthorized}; an accepted one gets {@code forbidden} again.
 *
 * <p>Over TLS a broker that refuses the client's certificate (TLS 1.3 says so after the client's
 * side of the TLS handshake is done) does speak Courier: the failure then names the TLS reason.
 */
public final class Handshake {
  /** A broker on a LAN answers in milliseconds; 5 s also covers a cold JVM and a busy disk. */
  public static final long DEFAULT_DEADLINE_MS = 5_000;

  private final Promise<FrameConnection> done = Promise.promise();
  private final List<Frame> early = new ArrayList<>();
  private final String address;
  private final Handler<Frame> onFrame;
  private final boolean tls;
  private final boolean registers;
  private FrameConnection connection;
  /** A {@code forbidden} that came first: the register's refusal, or the stats barrier's; see the class comment. */
  private Frame.Error forbidden;

  private Handshake(String address, Handler<Frame> onFrame, boolean tls, boolean registers) {
    this.address = address;
    this.onFrame = onFrame;
    this.tls = tls;
    this.registers = registers;
  }

  /**
   * Connected (over TLS when {@code tls} says so) and registered (when {@code register} is not
   * null); frames then go to {@code onFrame}.
   */
  public static Future<FrameConnection> open(Vertx vertx, String host, int port, ClientTls tls,
      Frame.Register register, long deadlineMs, Handler<Frame> onFrame) {
    Handshake handshake = new Handshake(host + ":" + port, onFrame, tls.enabled(), register != null);
    long timer = vertx.setTimer(deadlineMs, t -> handshake.fail(handshake.notCourier(
        "no answer within " + deadlineMs + " ms")));
    FrameConnection.open(vertx, host, port, tls, register, handshake::onFrame)
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
    c.closed().onComplete(v -> {
      if (forbidden != null) {
        refused(forbidden);
      } else {
        fail(closedMessage(c.failure()));
      }
    });
  }

  private String closedMessage(String failure) {
    if (failure != null && failure.startsWith(FrameConnection.TLS_FAILURE_PREFIX)) {
      return "the broker closed the connection: " + failure;
    }
    if (failure != null) {
      return notCourier(failure);
    }
    // A broker port that speaks TLS closes a plain-text client's connection without a reply.
    return notCourier("it closed the connection without answering")
        + (tls ? "" : ", and --tls if the broker's port speaks TLS");
  }

  private void onFrame(Frame frame) {
    if (done.future().isComplete()) {
      onFrame.handle(frame);
    } else if (!(frame instanceof Frame.StatsReply) && !(frame instanceof Frame.Error)) {
      early.add(frame);
    } else if (forbidden != null) {
      // The reply after a forbidden one: forbidden again answers the second stats, so the register
      // was accepted; anything else answers the first stats, so the forbidden was the register's.
      if (frame instanceof Frame.Error error && error.code() == ErrorCode.FORBIDDEN) {
        accepted();
      } else {
        refused(forbidden);
      }
    } else if (registers && frame instanceof Frame.Error error && error.code() == ErrorCode.FORBIDDEN) {
      forbidden = error;
      connection.send(new Frame.Stats(null, 1));
    } else if (frame instanceof Frame.Error error) {
      refused(error);
    } else {
      accepted();
    }
  }

  private void accepted() {
    if (done.tryComplete(connection)) {
      early.forEach(onFrame::handle);
      early.clear();
    }
  }

  private void refused(Frame.Error error) {
    fail("the broker at " + address + (registers ? " refused to register: " : " refused: ")
        + BrokerErrors.describe(error));
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
