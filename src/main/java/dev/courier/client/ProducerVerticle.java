package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's producer role over the public API: publishes {@link ProducerOptions}' messages through
 * a {@link CourierClient}'s {@link Producer}, keeping at most {@code window} unconfirmed, and
 * counts the broker's confirmations. {@link #completion()} gives the summary once every publish is
 * answered or the connection is lost (the CLI does not reconnect: a run reports what happened).
 * Launched by name it reads {@link ProducerOptions} from its config, logs the summary and closes
 * Vert.x when done.
 */
public final class ProducerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ProducerVerticle.class);

  private final ProducerOptions givenOptions;
  private final ClientRun<ProducerSummary> run = new ClientRun<>();
  private final Handler<AsyncResult<PublishResult>> onAnswer = this::onAnswer;
  private ProducerOptions options;
  private CourierClient client;
  private Producer producer;
  private long sent;
  private long confirmed;
  /** Confirmed as dedup hits: the broker kept an earlier publish with the same dedup id instead. */
  private long duplicates;
  private final BrokerErrors errors = new BrokerErrors();
  private boolean waitingForRate;
  private boolean waitingForDrain;
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
    ClientOptions clientOptions = ClientOptions.builder().host(options.host()).port(options.port())
        .tls(options.tls()).maxUnconfirmed(options.window()).reconnect(false).vertx(vertx).build();
    // The register the options name (the seed's without a topic), credentials included.
    return CourierClient.connect(clientOptions, options.register()).onSuccess(c -> {
      client = c;
      producer = c.producer();
      c.onEvent(e -> {
        if (e.type() == ClientEvent.Type.DISCONNECTED) {
          finish(e.reason());
        }
      });
      run.started(vertx, this::snapshot);
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

  private void onAnswer(AsyncResult<PublishResult> answer) {
    if (run.isDone()) {
      return; // failed by the close that ended the run
    }
    if (answer.succeeded()) {
      confirmed++;
      if (answer.result().duplicate()) {
        duplicates++;
      }
    } else if (answer.cause() instanceof CourierException e && e.brokerError() != null) {
      // Counted, not logged one line each: the summary names each code once, with a hint.
      errors.add(e.brokerError());
      if (e.code() != null && e.code().isFatal()) {
        finish("the broker closed the connection");
        return;
      }
    } else {
      finish(answer.cause().getMessage());
      return;
    }
    // Replies come in publish order and a probe is sent last, alone: this one answers it.
    longestAnswered = Math.max(longestAnswered, probing);
    probing = 0;
    if (confirmed + errors.total() == options.total()) {
      finish(null);
    } else {
      pump();
    }
  }

  private void pump() {
    if (run.isDone() || waitingForRate || waitingForDrain) {
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
      // A payload longer than any answered so far goes alone, once all before it are answered:
      // past max_frame_bytes the broker answers frame_too_large and closes, and publishes
      // pipelined behind it would make the close a reset that loses that answer.
      boolean probe = publish.payload().length() > longestAnswered;
      if (probe && unanswered() > 0) {
        return;
      }
      producer.publish(publish).onComplete(onAnswer);
      sent++;
      if (probe) {
        probing = publish.payload().length();
        return;
      }
      if (producer.isBackedUp()) {
        // The window bounds what is unconfirmed; this bounds what large payloads queue in memory.
        waitingForDrain = true;
        producer.onDrain(v -> {
          waitingForDrain = false;
          pump();
        });
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
    if (client != null) {
      client.shutdown();
    }
  }
}
