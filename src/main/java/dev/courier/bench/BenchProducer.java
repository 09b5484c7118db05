package dev.courier.bench;

import dev.courier.client.ClientEvent;
import dev.courier.client.ClientOptions;
import dev.courier.client.ClientTls;
import dev.courier.client.CourierClient;
import dev.courier.client.Credentials;
import dev.courier.client.Producer;
import dev.courier.client.PublishResult;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Publishes one block of sequence numbers, keeping at most {@code window} publishes unconfirmed.
 * Closed loop: each payload is stamped with its send time just before it is written. Fixed rate:
 * publishes follow a {@link SendSchedule} and are stamped with their intended send time, so that
 * time spent waiting for the window, the socket or a late timer counts as latency. Either way the
 * stamp is where both the consumers' and the {@code ok} latencies start. Publishes through the
 * public API ({@link CourierClient}, {@link Producer}), so the bench measures what a JVM user gets.
 * Runs on its own event loop; {@link #confirmed()} may be read from any thread for progress lines.
 */
final class BenchProducer extends VerticleBase {
  private final String host;
  private final int port;
  private final ClientTls tls;
  private final Credentials credentials;
  private final String topic;
  private final Scenario scenario;
  private final int firstSequence;
  private final int count;
  private final Promise<ProducerTiming> done = Promise.promise();
  private final AtomicLong confirmedCount = new AtomicLong();
  private final UnconfirmedPublishes unconfirmed;
  private SendSchedule schedule;
  private boolean timerArmed;
  /** One handler for every publish's answer: a lambda per publish would be garbage per message. */
  private final Handler<AsyncResult<PublishResult>> onAnswer = this::onAnswer;
  private CourierClient client;
  private Producer producer;
  private boolean closed;
  private int sent;
  private int confirmed;
  private long firstSendNanos;
  private long errors;

  /** When this producer sent its first publish and received its last ok. */
  record ProducerTiming(long firstSendNanos, long lastOkNanos, long errors) {}

  /**
   * A fixed-rate producer sleeps at least this long between bursts: waking for every message
   * (every 80 us at 50,000 msg/s over four producers) would spend the client's share of the CPU on
   * timers. Publishes due meanwhile go out together; their stamps keep their intended times, so
   * the tick only ever adds to measured latency, by at most about this much.
   */
  static final long MIN_TICK_NANOS = 200_000;

  /** {@code topic} null: the default topic, as on a broker the bench started itself. */
  BenchProducer(String host, int port, ClientTls tls, Credentials credentials, String topic, Scenario scenario,
      int index, long measureFromNanos) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.credentials = credentials;
    this.topic = topic;
    this.scenario = scenario;
    this.firstSequence = scenario.firstSequenceOfProducer(index);
    this.count = scenario.countOfProducer(index);
    this.unconfirmed = new UnconfirmedPublishes(Math.min(scenario.window(), count), measureFromNanos);
  }

  /** Publish-to-answer latencies, from each stamp; read once the producer is done or undeployed. */
  Histogram answerLatencies() {
    return unconfirmed.latencies();
  }

  /** Completes when every publish is confirmed, or fails when the connection is lost first. */
  Future<ProducerTiming> completion() {
    return done.future();
  }

  long confirmed() {
    return confirmedCount.get();
  }

  @Override
  public Future<?> start() {
    ClientOptions options = BenchConsumer.clientOptions(vertx, host, port, tls, credentials)
        .maxUnconfirmed(scenario.window()).build();
    return CourierClient.connect(options).onSuccess(c -> {
      client = c;
      producer = c.producer();
      c.onEvent(e -> {
        if (e.type() == ClientEvent.Type.DISCONNECTED) {
          closed = true;
          done.tryFail("producer connection closed after " + confirmed + " of " + count + " confirmations: "
              + e.reason());
        }
      });
      firstSendNanos = System.nanoTime();
      if (scenario.isFixedRate()) {
        schedule = new SendSchedule(firstSendNanos, (double) scenario.rate() / scenario.producers(), count);
      }
      pump();
    });
  }

  @Override
  public Future<?> stop() {
    closed = true;
    return client == null ? Future.succeededFuture() : client.shutdown();
  }

  private void pump() {
    int limit = count;
    long now = System.nanoTime();
    if (schedule != null) {
      limit = schedule.dueBy(now);
    }
    // The window is the API's (maxUnconfirmed): it bounds what the socket can queue too.
    while (sent < limit && sent - confirmed < scenario.window()) {
      long stamp = schedule == null ? System.nanoTime() : schedule.intendedNanos(sent);
      producer.publish(topic, Payload.encode(firstSequence + sent, stamp, scenario.payloadBytes()))
          .onComplete(onAnswer);
      unconfirmed.sent(stamp);
      sent++;
    }
    // Held back by the window: the next ok pumps again. Otherwise wait for
    // the next intended time.
    if (schedule != null && sent == limit && sent < count && !timerArmed) {
      timerArmed = true;
      long delay = Math.max(MIN_TICK_NANOS, schedule.intendedNanos(sent) - now);
      // Not vertx.timer: an event-loop timer this short keeps the loop spinning (see Pacer).
      Pacer.after(delay, context, () -> {
        timerArmed = false;
        if (!closed) {
          pump();
        }
      });
    }
  }

  private void onAnswer(AsyncResult<PublishResult> answer) {
    if (closed) {
      return; // failed by the lost connection or the close: not an answer from the broker
    }
    if (answer.failed()) {
      errors++;
    }
    unconfirmed.answered(System.nanoTime());
    confirmed++;
    confirmedCount.set(confirmed);
    if (confirmed == count) {
      done.tryComplete(new ProducerTiming(firstSendNanos, System.nanoTime(), errors));
    } else {
      pump();
    }
  }
}
