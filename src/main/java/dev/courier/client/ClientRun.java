package dev.courier.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * One run of a client verticle: its clock, its progress reports and the summary it ends with.
 * Shared by the producer and the consumer; used on the verticle's loop only.
 *
 * @param <S> the summary type
 */
final class ClientRun<S> {
  private final Promise<S> done = Promise.promise();
  private Handler<S> progressHandler;
  private long progressIntervalMs;
  private long progressTimer = -1;
  private long startNanos;

  Future<S> completion() {
    return done.future();
  }

  boolean isDone() {
    return done.future().isComplete();
  }

  void onProgress(long intervalMs, Handler<S> handler) {
    this.progressIntervalMs = intervalMs;
    this.progressHandler = handler;
  }

  /** Connected: the clock starts, and the progress reports with it. */
  void started(Vertx vertx, Function<String, S> snapshot) {
    startNanos = System.nanoTime();
    if (progressHandler != null) {
      progressTimer = vertx.setPeriodic(progressIntervalMs, t -> progressHandler.handle(snapshot.apply(null)));
    }
  }

  long elapsedNanos() {
    return startNanos == 0 ? 0 : System.nanoTime() - startNanos;
  }

  /** Ends the run with this summary; false when it had ended already. */
  boolean finish(Vertx vertx, S summary) {
    if (isDone()) {
      return false;
    }
    vertx.cancelTimer(progressTimer);
    done.complete(summary);
    return true;
  }

  /** Launched by name there is no caller to report to: log the summary and close Vert.x. */
  void logAndCloseWhenDone(Vertx vertx, Logger log, String role, Function<S, String> describe) {
    completion().onComplete(ar -> {
      log.info("{} done: {}", role, describe.apply(ar.result()));
      vertx.close();
    });
  }
}
