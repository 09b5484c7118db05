package dev.courier.bench;

import dev.courier.client.ClientEvent;
import dev.courier.client.ClientOptions;
import dev.courier.client.ClientTls;
import dev.courier.client.CourierClient;
import dev.courier.client.Credentials;
import dev.courier.client.Delivery;
import dev.courier.client.SubscribeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

/**
 * Acks every message on receipt, records its end-to-end latency in its own histogram (only its
 * event loop writes it; not for messages stamped before {@code measureFromNanos}, a warm-up) and
 * its sequence number in the run's shared {@link DeliveryLedger}. Subscribes through the public
 * API ({@link CourierClient#subscribe}, auto-ack), so the bench measures what a JVM user gets.
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
  private final Promise<Void> gone = Promise.promise();
  private CourierClient client;

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

  /** The options every bench client shares: no reconnect, since a run reports a lost connection instead. */
  static ClientOptions.Builder clientOptions(Vertx vertx, String host, int port, ClientTls tls,
      Credentials credentials) {
    ClientOptions.Builder options = ClientOptions.builder().host(host).port(port).tls(tls).clientName("courier-bench")
        .reconnect(false).vertx(vertx);
    return credentials.isPresent() ? options.credentials(credentials.user(), credentials.password()) : options;
  }

  @Override
  public Future<?> start() {
    // The run's own topic is also its group's name: unique per run, it never meets users' groups.
    // Subscribe-only: a client's own producer connection would be one more for the broker to serve.
    return CourierClient.connect(clientOptions(vertx, host, port, tls, credentials).consumeOnly().build())
        .compose(c -> {
          client = c;
          c.onEvent(e -> {
            if (e.type() == ClientEvent.Type.DISCONNECTED || e.type() == ClientEvent.Type.CLOSED) {
              gone.tryComplete();
            }
          });
          return c.subscribe(topic, topic, SubscribeOptions.defaults(), this::onDelivery);
        });
  }

  /** Closes the connection and hands over the histogram, on this consumer's loop. */
  @Override
  public Future<?> stop() {
    Future<Void> closed = client == null ? Future.succeededFuture() : client.shutdown();
    return closed.onComplete(ar -> stopped.tryComplete(latencyNanos.copy()));
  }

  /** Completes when the connection is closed, by either side. */
  Future<Void> closed() {
    return gone.future();
  }

  /** The latencies recorded, once the consumer has been undeployed. */
  Future<Histogram> latencies() {
    return stopped.future();
  }

  /** Auto-ack acks it once this returns. */
  private void onDelivery(Delivery delivery) {
    long now = System.nanoTime();
    String payload = delivery.payload();
    int sequence = Payload.sequence(payload);
    long stamp = sequence >= 0 ? Payload.sendNanos(payload) : -1;
    if (sequence >= 0 && stamp >= measureFromNanos) {
      latencyNanos.recordValue(Math.min(HIGHEST_TRACKABLE_NANOS, Math.max(0, now - stamp)));
    }
    ledger.record(sequence, now);
  }
}
