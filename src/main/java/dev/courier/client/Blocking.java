package dev.courier.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The blocking convenience methods' two rules: never on an event loop, never without a timeout. */
final class Blocking {
  private Blocking() {
  }

  /**
   * Closes {@code vertx} from a thread outside it: a close begun on one of its own loops
   * completes its future on a loop that has just terminated, and no one hears of it.
   */
  static Future<Void> closeFromOutside(Vertx vertx) {
    Promise<Void> closed = Promise.promise();
    CompletableFuture.runAsync(() -> vertx.close().onComplete(closed));
    return closed.future();
  }

  static void refuseOnEventLoop(String method) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(method + " blocks and must not run on a Vert.x event loop: use the Future method");
    }
  }

  /** Waits for {@code future}; its failure is rethrown as it is when a {@link RuntimeException}. */
  static <T> T await(Future<T> future, long timeoutMs) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CourierException(CourierException.Reason.BROKER_ERROR, e.getCause().toString());
    } catch (TimeoutException e) {
      throw new CourierException(CourierException.Reason.TIMEOUT, "no answer within " + timeoutMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CourierException(CourierException.Reason.CLOSED, "interrupted while waiting");
    }
  }
}
