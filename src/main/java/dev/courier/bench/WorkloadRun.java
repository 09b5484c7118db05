package dev.courier.bench;

import dev.courier.client.ClientTls;
import dev.courier.client.CourierClient;
import dev.courier.client.Credentials;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link Scenario} against a broker at host:port, in a Vert.x instance of its own, and
 * measures it. Consumers connect first, then producers start. The run ends when every sequence
 * number has been received (and then no message arrived for {@link #SETTLE_MILLIS}, so that a
 * duplicate right behind the last message is still counted), when every consumer connection is
 * gone, or at the timeout; whatever was not received by then counts as lost.
 *
 * <p>Blocking: call it from a plain thread (the command line's, a test's), never an event loop.
 */
public final class WorkloadRun {
  /** Quiet time after the last first-reception: long next to a loopback round trip. */
  static final long SETTLE_MILLIS = 200;
  private static final long PROGRESS_INTERVAL_MILLIS = 1000;

  /** Counts so far, for a progress line. */
  public record Progress(long confirmed, long distinctReceived, long count, long elapsedNanos) {}

  private WorkloadRun() {}

  /**
   * Every client connects as {@code tls} says; {@code topic}: where the run publishes and
   * consumes, null for the default topic and group.
   */
  public static WorkloadResult run(String host, int port, ClientTls tls, String topic, Scenario scenario,
      Duration timeout, Consumer<Progress> progress) throws InterruptedException {
    return run(host, port, tls, Credentials.NONE, topic, scenario, timeout, progress);
  }

  /** As above, every client registering with {@code credentials}. */
  public static WorkloadResult run(String host, int port, ClientTls tls, Credentials credentials, String topic,
      Scenario scenario, Duration timeout, Consumer<Progress> progress) throws InterruptedException {
    Vertx vertx = CourierClient.newVertx();
    try {
      return run(vertx, host, port, tls, credentials, topic, scenario, timeout, progress);
    } finally {
      vertx.close().await();
    }
  }

  private static WorkloadResult run(Vertx vertx, String host, int port, ClientTls tls, Credentials credentials,
      String topic, Scenario scenario, Duration timeout, Consumer<Progress> progress) throws InterruptedException {
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    DeliveryLedger ledger = new DeliveryLedger(scenario.count());
    List<String> problems = new ArrayList<>();
    List<BenchConsumer> consumers = new ArrayList<>();
    List<String> consumerDeployments = new ArrayList<>();
    // Taken before the clients connect: their setup is part of the warm-up, not added to it.
    long measureFromNanos = scenario.warmupSeconds() == 0 ? Long.MIN_VALUE
        : System.nanoTime() + TimeUnit.SECONDS.toNanos(scenario.warmupSeconds());
    for (int i = 0; i < scenario.consumers(); i++) {
      BenchConsumer consumer = new BenchConsumer(host, port, tls, credentials, topic, ledger, measureFromNanos);
      consumers.add(consumer);
      consumerDeployments.add(vertx.deployVerticle(consumer).await());
    }
    long startNanos = System.nanoTime();
    List<BenchProducer> producers = new ArrayList<>();
    List<String> producerDeployments = new ArrayList<>();
    for (int i = 0; i < scenario.producers(); i++) {
      BenchProducer producer = new BenchProducer(host, port, tls, credentials, topic, scenario, i, measureFromNanos);
      producers.add(producer);
      producerDeployments.add(vertx.deployVerticle(producer).await());
    }
    long progressTimer = vertx.setPeriodic(PROGRESS_INTERVAL_MILLIS, t -> progress.accept(
        new Progress(confirmed(producers), ledger.distinct(), scenario.count(), System.nanoTime() - startNanos)));

    boolean timedOut = !awaitEnd(vertx, ledger, consumers, deadlineNanos);
    Future<List<BenchProducer.ProducerTiming>> timings = Future.all(producers.stream()
        .map(BenchProducer::completion).toList()).map(all -> all.list());
    // A producer that fails or times out is reported from its own state by confirmRate below.
    awaitUntil(timings, deadlineNanos);
    long endNanos = System.nanoTime();
    vertx.cancelTimer(progressTimer);

    Histogram latencies = new Histogram(3);
    for (int i = 0; i < consumers.size(); i++) {
      vertx.undeploy(consumerDeployments.get(i)).await();
      latencies.add(consumers.get(i).latencies().await());
    }
    // Undeployed first, so that each producer's loop has stopped writing its histogram.
    Histogram answerLatencies = new Histogram(3);
    for (int i = 0; i < producers.size(); i++) {
      vertx.undeploy(producerDeployments.get(i)).await();
      answerLatencies.add(producers.get(i).answerLatencies());
    }
    long allReceivedNanos = ledger.allReceived().getNow(endNanos);
    double endToEnd = perSecond(ledger.distinct(), allReceivedNanos - startNanos);
    double confirmedRate = confirmRate(producers, timings, startNanos, endNanos, problems);
    if (timedOut) {
      problems.add("timed out after " + timeout.toSeconds() + " s with " + ledger.lost() + " messages not received");
    }
    if (ledger.foreign() > 0) {
      problems.add(ledger.foreign() + " received messages were not this run's");
    }
    return new WorkloadResult(scenario, ledger.distinct(), ledger.lost(), ledger.duplicated(),
        endToEnd, confirmedRate, latencies, answerLatencies, timedOut, problems);
  }

  /**
   * Waits for all to be received and a settle time, or for every consumer to be gone; false if
   * the deadline came first.
   */
  private static boolean awaitEnd(Vertx vertx, DeliveryLedger ledger, List<BenchConsumer> consumers,
      long deadlineNanos) throws InterruptedException {
    CompletableFuture<?> consumersGone = CompletableFuture.allOf(consumers.stream()
        .map(c -> c.closed().toCompletionStage().toCompletableFuture()).toArray(CompletableFuture[]::new));
    CompletableFuture<Object> settled = ledger.allReceived()
        .thenCompose(v -> settle(vertx, ledger).toCompletionStage());
    try {
      CompletableFuture.anyOf(settled, consumersGone).get(Math.max(0, deadlineNanos - System.nanoTime()),
          TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the run to end failed", e.getCause());
    }
  }

  /** Completes once no message has been received for {@link #SETTLE_MILLIS}. */
  private static Future<Object> settle(Vertx vertx, DeliveryLedger ledger) {
    Promise<Object> quiet = Promise.promise();
    long settleNanos = TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    vertx.setPeriodic(SETTLE_MILLIS / 4, timer -> {
      if (System.nanoTime() - ledger.lastReceptionNanos() >= settleNanos) {
        vertx.cancelTimer(timer);
        quiet.tryComplete(true);
      }
    });
    return quiet.future();
  }

  /** True if the future succeeded before the deadline. */
  private static boolean awaitUntil(Future<?> future, long deadlineNanos) throws InterruptedException {
    CompletableFuture<?> done = future.toCompletionStage().toCompletableFuture();
    try {
      done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    }
  }

  private static double confirmRate(List<BenchProducer> producers, Future<List<BenchProducer.ProducerTiming>> timings,
      long startNanos, long endNanos, List<String> problems) {
    if (timings.succeeded()) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      long errors = 0;
      for (BenchProducer.ProducerTiming timing : timings.result()) {
        first = Math.min(first, timing.firstSendNanos());
        last = Math.max(last, timing.lastOkNanos());
        errors += timing.errors();
      }
      if (errors > 0) {
        problems.add(errors + " publishes were answered with an error");
      }
      return perSecond(confirmed(producers), last - first);
    }
    for (BenchProducer producer : producers) {
      if (producer.completion().failed()) {
        problems.add(producer.completion().cause().getMessage());
      }
    }
    return perSecond(confirmed(producers), endNanos - startNanos);
  }

  private static long confirmed(List<BenchProducer> producers) {
    return producers.stream().mapToLong(BenchProducer::confirmed).sum();
  }

  private static double perSecond(long count, long nanos) {
    return nanos <= 0 ? 0 : count * 1e9 / nanos;
  }
}
