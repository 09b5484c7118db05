package dev.courier.client;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A consumer for plain Java programs: {@link #receive(Duration)} blocks until a delivery arrives
 * or the timeout passes. Deliveries wait in a buffer the subscription's prefetch bounds (the
 * broker hands out no more than that unacked); ack or nack each one. Never call {@link #receive}
 * on an event loop.
 */
public final class PullConsumer {
  /** Unbounded in type only: the broker's credit bounds what arrives (prefetch, and once more after a reconnect). */
  private final LinkedBlockingQueue<Delivery> buffer = new LinkedBlockingQueue<>();
  private Consumer consumer;

  PullConsumer() {
  }

  PullConsumer attach(Consumer consumer) {
    this.consumer = consumer;
    return this;
  }

  void offer(Delivery delivery) {
    buffer.add(delivery);
  }

  /**
   * The next delivery, or null when none arrives within {@code timeout}. Deliveries of a
   * connection since lost are skipped: the broker delivers them again.
   *
   * @throws IllegalStateException on an event loop
   */
  public Delivery receive(Duration timeout) throws InterruptedException {
    Blocking.refuseOnEventLoop("PullConsumer.receive");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Delivery d = buffer.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (d == null || !d.isStale()) {
        return d;
      }
    }
  }

  /** The underlying subscription (topic, group, connection state). */
  public Consumer consumer() {
    return consumer;
  }

  /** Closes the subscription; buffered deliveries not acked go back to the broker. */
  public Future<Void> close() {
    buffer.clear();
    return consumer.close();
  }
}
