package dev.courier.bench;

import dev.courier.client.ClientTls;
import dev.courier.client.Credentials;
import dev.courier.client.FrameConnection;
import dev.courier.client.Handshake;
import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes one block of sequence numbers, keeping at most {@code window} publishes unconfirmed.
 * Each payload is stamped with its send time just before it is written. Runs on its own event
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
  private FrameConnection connection;
  private int sent;
  private int confirmed;
  private long firstSendNanos;
  private long errors;

  /** When this producer sent its first publish and received its last ok. */
  record ProducerTiming(long firstSendNanos, long lastOkNanos, long errors) {}

  /** {@code topic} null: the default topic, as on a broker the bench started itself. */
  BenchProducer(String host, int port, ClientTls tls, Credentials credentials, String topic, Scenario scenario,
      int index) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.credentials = credentials;
    this.topic = topic;
    this.scenario = scenario;
    this.firstSequence = scenario.firstSequenceOfProducer(index);
    this.count = scenario.countOfProducer(index);
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
      pump();
    });
  }

  @Override
  public Future<?> stop() {
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private void pump() {
    while (sent < count && sent - confirmed < scenario.window() && !connection.writeQueueFull()) {
      String payload = Payload.encode(firstSequence + sent, System.nanoTime(), scenario.payloadBytes());
      connection.send(new Frame.Publish(payload));
      sent++;
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
    confirmed++;
    confirmedCount.set(confirmed);
    if (confirmed == count) {
      done.tryComplete(new ProducerTiming(firstSendNanos, System.nanoTime(), errors));
    } else {
      pump();
    }
  }
}
