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

  private final ProducerOptions givenOptions;
  private final ClientRun<ProducerSummary> run = new ClientRun<>();
  private ProducerOptions options;
  private FrameConnection connection;
  private long sent;
  private long confirmed;
  /** Confirmed as dedup hits: the broker kept an earlier publish with the same dedup id instead. */
  private long duplicates;
  private final BrokerErrors errors = new BrokerErrors();
  private boolean waitingForRate;
  /** The longest payload the broker has answered; a longer one is a probe, see {@link #pump()}. */
  private long longestAnswered;
  /** The length of the probe awaiting its answer, or 0. */
  private long probing;

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
      run.logAndCloseWhenDone(vertx, log, "producer", ProducerSummary::describeWithErrors);
    }
    return Handshake.open(vertx, options.host(), options.port(), options.tls(), options.register(),
            Handshake.DEFAULT_DEADLINE_MS, this::onFrame)
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
    // Stopped by Ctrl+C or SIGTERM before the run ended: the summary says what was left undone.
    finish("interrupted with " + (options.total() - sent) + " not sent and " + unanswered() + " unanswered");
    return Future.succeededFuture();
  }

  private void onFrame(Frame frame) {
    if (frame instanceof Frame.Ok ok) {
      confirmed++;
      if (ok.duplicate()) {
        duplicates++;
      }
    } else if (frame instanceof Frame.Error error) {
      // Counted, not logged one line each: the summary names each code once, with a hint.
      errors.add(error);
    } else {
      return;
    }
    // Replies come in publish order and a probe is sent last, alone: this one answers it.
    longestAnswered = Math.max(longestAnswered, probing);
    probing = 0;
    if (frame instanceof Frame.Error error && error.code() != null && error.code().isFatal()) {
      finish("the broker closed the connection");
      return;
    }
    if (confirmed + errors.total() == options.total()) {
      finish(null);
    } else {
      pump();
    }
  }

  private void pump() {
    if (run.isDone() || waitingForRate) {
      return;
    }
    while (probing == 0 && sent < options.total() && unanswered() < options.window()) {
      if (options.ratePerSecond() > 0 && sent >= allowedByRate()) {
        waitingForRate = true;
        vertx.setTimer(1, t -> {
          waitingForRate = false;
          pump();
        });
        return;
      }
      Frame.Publish publish = options.publish(sent);
      String payload = publish.payload();
      // A payload longer than any answered so far goes alone, once all before it are answered:
      // past max_frame_bytes the broker answers frame_too_large and closes, and publishes
      // pipelined behind it would make the close a reset that loses that answer.
      boolean probe = payload.length() > longestAnswered;
      if (probe && unanswered() > 0) {
        return;
      }
      connection.send(publish);
      sent++;
      if (probe) {
        probing = payload.length();
        return;
      }
      if (connection.writeQueueFull()) {
        connection.drainHandler(v -> pump());
        return;
      }
    }
  }

  private long allowedByRate() {
    return 1 + (long) (run.elapsedNanos() / 1e9 * options.ratePerSecond());
  }

  private long unanswered() {
    return sent - confirmed - errors.total();
  }

  private ProducerSummary snapshot(String failure) {
    return new ProducerSummary(sent, confirmed, duplicates, errors.total(), run.elapsedNanos(), failure,
        errors.lines());
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
