package dev.courier.client.examples;

import dev.courier.client.ClientOptions;
import dev.courier.client.CourierClient;
import dev.courier.client.Delivery;
import dev.courier.client.SubscribeOptions;
import dev.courier.embedded.CourierBroker;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** docs/CLIENT.md's worker: retries a failed job later with nack(delay), gives up after 5 attempts. */
public final class WorkerExample {
  private WorkerExample() {
  }

  public static void main(String[] args) throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
      System.out.println("done: " + run(broker.port()));
    }
  }

  static boolean run(int port) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (CourierClient client = CourierClient.connectAndWait(ClientOptions.builder().port(port).build())) {
      // docs:begin worker
      SubscribeOptions options = SubscribeOptions.defaults()
          .withPrefetch(10)                 // at most 10 jobs in hand at once
          .withAutoAck(false)               // the handler answers each job itself
          .withDeadLetters(5, "emails.failed");  // after 5 attempts: to emails.failed
      client.subscribe("emails", "senders", options, (Delivery job) -> {
        sendEmail(job.payload()).onComplete(sent -> {
          if (sent.succeeded()) {
            job.ack();
            done.countDown();
          } else {
            // Try again in 2 s, 4 s, 8 s...: the broker holds it meanwhile (and across a restart).
            job.nack(Duration.ofSeconds(1L << Math.min(job.attempt(), 10)));
          }
        });
      }).await();
      // docs:end worker
      client.producer().publishAndWait("emails", "to: ada@example.com");
      return done.await(10, TimeUnit.SECONDS);
    }
  }

  /** Stands for the real work: an asynchronous call that may fail. */
  private static Future<Void> sendEmail(String email) {
    return Future.succeededFuture();
  }
}
