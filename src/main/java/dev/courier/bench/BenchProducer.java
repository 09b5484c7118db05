package dev.courier.bench;

import dev.courier.client.ClientTls;
import dev.courier.client.Credentials;
import dev.courier.client.FrameConnection;
import dev.courier.client.Handshake;
import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Publishes one block of sequence numbers, keeping at most {@code window} publishes unconfirmed.
 * Closed loop: each payload is stamped with its send time just before it is written. Fixed rate:
 * publishes follow a {@link SendSchedule} and are stamped with their intended send time, so that
 * time spent waiting for the window, the socket or a late timer counts as latency. Either way the
 * stamp is where both the consumers' and the {@code ok} latencies start. Runs on its own event
 * loop; {@link #confirmed()} may be read from any thread for progress lines.
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
  private FrameConnection connection;
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
    Frame.Register register = topic == null ? new Frame.Register(Frame.Role.PRODUCER)
        : new Frame.Register(Frame.Role.PRODUCER, topic, null, null, null, "courier-bench", true);
    return Handshake.open(vertx, host, port, tls, credentials.apply(register), Handshake.DEFAULT_DEADLINE_MS, this::onFrame).onSuccess(c -> {
      connection = c;
      c.closed().onComplete(v -> done.tryFail("producer connection closed after " + confirmed + " of "
          + count + " confirmations" + (c.failure() == null ? "" : ": " + c.failure())));
      c.drainHandler(v -> pump());
      firstSendNanos = System.nanoTime();
      if (scenario.isFixedRate()) {
        schedule = new SendSchedule(firstSendNanos, (double) scenario.rate() / scenario.producers(), count);
      }
      pump();
    });
  }

  @Override
  public Future<?> stop() {
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private void pump() {
    int limit = count;
    long now = System.nanoTime();
    if (schedule != null) {
      limit = schedule.dueBy(now);
    }
    while (sent < limit && sent - confirmed < scenario.window() && !connection.writeQueueFull()) {
      long stamp = schedule == null ? System.nanoTime() : schedule.intendedNanos(sent);
      connection.send(new Frame.Publish(Payload.encode(firstSequence + sent, stamp, scenario.payloadBytes())));
      unconfirmed.sent(stamp);
      sent++;
    }
    // Held back by the window or the socket: the next ok or drain pumps again. Otherwise wait for
    // the next intended time.
    if (schedule != null && sent == limit && sent < count && !timerArmed) {
      timerArmed = true;
      long delay = Math.max(MIN_TICK_NANOS, schedule.intendedNanos(sent) - now);
      vertx.timer(delay, TimeUnit.NANOSECONDS).onComplete(t -> {
        timerArmed = false;
        if (!connection.closed().isComplete()) {
          pump();
        }
      });
    }
  }

  private void onFrame(Frame frame) {
    if (frame instanceof Frame.Ok) {
      onAnswer();
    } else if (frame instanceof Frame.Error) {
      errors++;
      onAnswer();
    }
  }

  private void onAnswer() {
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
