package dev.courier.cli;

import dev.courier.client.BrokerErrors;
import dev.courier.client.Credentials;
import dev.courier.client.FrameConnection;
import dev.courier.client.Handshake;
import dev.courier.protocol.Frame;
import io.vertx.core.Vertx;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One connection for a command that asks the broker something and waits for the answer ({@code
 * stats}, {@code redrive}), used from the command's own thread, never from an event loop. With
 * credentials it registers as a producer of the default topic, which creates nothing, so that the
 * broker knows who asks; anonymous clients need no register.
 */
final class OperatorLink implements AutoCloseable {
  private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
  private final FrameConnection connection;
  private final String what;
  private final long timeoutSeconds;

  /** {@code answer} picks the reply out of a frame (null for frames that are not one). */
  OperatorLink(Vertx vertx, Endpoint endpoint, String what, long timeoutSeconds, Function<Frame, Object> answer)
      throws Exception {
    this.what = what;
    this.timeoutSeconds = timeoutSeconds;
    Credentials credentials = endpoint.credentials();
    Frame.Register register = credentials.isPresent() ? credentials.apply(new Frame.Register(Frame.Role.PRODUCER)) : null;
    connection = Handshake.open(vertx, endpoint.host, endpoint.port, endpoint.tls(), register,
        Handshake.DEFAULT_DEADLINE_MS, frame -> {
      Object reply = frame instanceof Frame.Error error ? new IllegalStateException(BrokerErrors.describe(error))
          : answer.apply(frame);
      if (reply != null) {
        replies.add(reply);
      }
    }).await();
    // A broker that closes the connection (e.g. refusing the client's certificate) sends no reply.
    connection.closed().onComplete(v -> replies.add(new IllegalStateException("the broker closed the connection"
        + (connection.failure() == null ? "" : ": " + connection.failure()))));
  }

  /** Sends {@code request} and returns its answer, or throws the broker's error or a timeout. */
  Object ask(Frame request) throws Exception {
    connection.send(request);
    Object reply = replies.poll(timeoutSeconds, TimeUnit.SECONDS);
    if (reply == null) {
      throw new IllegalStateException("no " + what + " reply within " + timeoutSeconds + " s");
    } else if (reply instanceof Exception e) {
      throw e;
    }
    return reply;
  }

  @Override
  public void close() {
    connection.close();
  }
}
