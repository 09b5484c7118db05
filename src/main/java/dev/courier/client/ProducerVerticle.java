package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes messages and counts the broker's confirmations, keeping at most {@code window}
 * unconfirmed in flight. {@link #completion()} gives the summary once every publish is answered
 * or the connection is lost. Launched by name it reads {@link ProducerOptions} from its config,
 * logs the summary and closes Vert.x when done.
 */
public final class ProducerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProducerVerticle.class);
  /** Enough error lines to diagnose a problem without flooding the terminal. */
  private static final int ERRORS_LOGGED = 10;

  private final ProducerOptions givenOptions;
  private final ClientRun<ProducerSummary> run = new ClientRun<>();
  private ProducerOptions options;
  private FrameConnection connection;
  private long sent;
  private long confirmed;
  private long errors;
  private boolean waitingForRate;

  /** For launching by name: options come from the verticle's {@code -conf}. */
  public ProducerVerticle() {
    this(null);
  }

  public ProducerVerticle(ProducerOptions options) {
    this.givenOptions = options;
  }

  public Future<ProducerSummary> completion() {
    return run.completion();
  }

  /** Reports the counts so far every {@code intervalMs}, on the verticle's loop. Call before deploying. */
  public void onProgress(long intervalMs, Handler<ProducerSummary> handler) {
    run.onProgress(intervalMs, handler);
  }

  @Override
  public Future<?> start() {
    options = givenOptions != null ? givenOptions : ProducerOptions.fromJson(config());
    if (givenOptions == null) {
      run.logAndCloseWhenDone(vertx, log, "producer", ProducerSummary::describe);
    }
    return FrameConnection.open(vertx, options.host(), options.port(), options.tls(), options.register(), this::onFrame)
        .onSuccess(c -> {
          connection = c;
          run.started(vertx, this::snapshot);
          c.closed().onComplete(v -> finish(c.failure() != null ? c.failure() : "the broker closed the connection"));
          if (options.total() == 0) {
            finish(null);
          } else {
            pump();
          }
        });
  }

  @Override
  public Future<?> stop() {
    finish(sent == confirmed + errors ? null : "stopped with " + (sent - confirmed - errors) + " publishes unanswered");
    return Future.succeededFuture();
  }

  private void onFrame(Frame frame) {
    if (frame instanceof Frame.Ok) {
      confirmed++;
    } else if (frame instanceof Frame.Error error) {
      errors++;
      if (errors <= ERRORS_LOGGED) {
        log.warn("publish refused: {} ({})", error.message(), error.code() == null ? "no code" : error.code().wireName());
      }
    } else {
      return;
    }
    if (confirmed + errors == options.total()) {
      finish(null);
    } else {
      pump();
    }
  }

  private void pump() {
    if (run.isDone() || waitingForRate) {
      return;
    }
    while (sent < options.total() && sent - confirmed - errors < options.window()) {
      if (options.ratePerSecond() > 0 && sent >= allowedByRate()) {
        waitingForRate = true;
        vertx.setTimer(1, t -> {
          waitingForRate = false;
          pump();
        });
        return;
      }
      connection.send(new Frame.Publish(options.payload(sent)));
      sent++;
      if (connection.writeQueueFull()) {
        connection.drainHandler(v -> pump());
        return;
      }
    }
  }

  private long allowedByRate() {
    return 1 + (long) (run.elapsedNanos() / 1e9 * options.ratePerSecond());
  }

  private ProducerSummary snapshot(String failure) {
    return new ProducerSummary(sent, confirmed, errors, run.elapsedNanos(), failure);
  }

  private void finish(String failure) {
    if (!run.finish(vertx, snapshot(failure))) {
      return;
    }
    if (connection != null) {
      connection.close();
    }
  }
}
