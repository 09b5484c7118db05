package dev.courier.bench;

import dev.courier.client.ClientTls;
import dev.courier.client.Credentials;
import dev.courier.client.FrameConnection;
import dev.courier.client.Handshake;
import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.HdrHistogram.Histogram;

/**
 * Acks every message on receipt, records its end-to-end latency in its own histogram (only its
 * event loop writes it; not for messages stamped before {@code measureFromNanos}, a warm-up) and
 * its sequence number in the run's shared {@link DeliveryLedger}.
 */
final class BenchConsumer extends VerticleBase {
  /** Latencies above an hour are clamped; three significant digits is HdrHistogram's usual. */
  private static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;
  private static final int SIGNIFICANT_DIGITS = 3;

  private final String host;
  private final int port;
  private final ClientTls tls;
  private final Credentials credentials;
  private final String topic;
  private final DeliveryLedger ledger;
  private final long measureFromNanos;
  private final Histogram latencyNanos = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
  private final Promise<Histogram> stopped = Promise.promise();
  private FrameConnection connection;

  /** {@code topic} null: the default topic and group, as on a broker the bench started itself. */
  BenchConsumer(String host, int port, ClientTls tls, Credentials credentials, String topic, DeliveryLedger ledger,
      long measureFromNanos) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.credentials = credentials;
    this.topic = topic;
    this.ledger = ledger;
    this.measureFromNanos = measureFromNanos;
  }

  @Override
  public Future<?> start() {
    // The run's own topic is also its group's name: unique per run, it never meets users' groups.
    Frame.Register register = topic == null ? new Frame.Register(Frame.Role.CONSUMER)
        : new Frame.Register(Frame.Role.CONSUMER, topic, topic, null, null, "courier-bench", true);
    return Handshake.open(vertx, host, port, tls, credentials.apply(register), Handshake.DEFAULT_DEADLINE_MS, this::onFrame)
        .onSuccess(c -> connection = c);
  }

  /** Closes the connection and hands over the histogram, on this consumer's loop. */
  @Override
  public Future<?> stop() {
    Future<Void> closed = connection == null ? Future.succeededFuture() : connection.close();
    return closed.onComplete(ar -> stopped.tryComplete(latencyNanos.copy()));
  }

  /** Completes when the connection is closed, by either side. */
  Future<Void> closed() {
    return connection.closed();
  }

  /** The latencies recorded, once the consumer has been undeployed. */
  Future<Histogram> latencies() {
    return stopped.future();
  }

  private void onFrame(Frame frame) {
    if (!(frame instanceof Frame.Message message)) {
      return;
    }
    long now = System.nanoTime();
    connection.send(new Frame.Ack(message.id()));
    int sequence = Payload.sequence(message.payload());
    long stamp = sequence >= 0 ? Payload.sendNanos(message.payload()) : -1;
    if (sequence >= 0 && stamp >= measureFromNanos) {
      latencyNanos.recordValue(Math.min(HIGHEST_TRACKABLE_NANOS, Math.max(0, now - stamp)));
    }
    ledger.record(sequence, now);
  }
}
