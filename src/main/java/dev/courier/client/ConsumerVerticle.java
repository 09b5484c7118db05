package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's consumer role over the public API: subscribes through a {@link CourierClient}, hands
 * each delivery to a display handler, and acks it (at once, after a delay, or never), or nacks it
 * as {@link NackPlan} says. {@link #completion()} gives the summary after {@code count} messages,
 * when the broker closes the connection (the CLI does not reconnect), or when the verticle is
 * stopped (Ctrl+C). Launched by name it reads {@link ConsumerOptions} from its config and logs each
 * message.
 */
public final class ConsumerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ConsumerVerticle.class);

  private final ConsumerOptions givenOptions;
  private final Handler<Frame.Message> display;
  private final ClientRun<ConsumerSummary> run = new ClientRun<>();
  /** Ids are dense from 1, so a bit per id tells a redelivery from a first delivery cheaply. */
  private final BitSet seen = new BitSet();
  private ConsumerOptions options;
  private CourierClient client;
  private Consumer consumer;
  private long received;
  private long redelivered;
  private long acked;
  private long nacked;
  private final BrokerErrors errors = new BrokerErrors();
  private int pendingAcks;
  /** The credit last asked of the broker; only ever lowered, see {@link #limitCredit()}. */
  private long credit;
  private Future<Void> lastWrite = Future.succeededFuture();
  /** Set by the first {@link #finish}: deliveries after it are ignored, the summary is taken. */
  private boolean finished;

  /** For launching by name: options come from the verticle's {@code -conf}. */
  public ConsumerVerticle() {
    this(null, m -> log.info("message id={}: {}", Long.toUnsignedString(m.id()), m.payload()));
  }

  public ConsumerVerticle(ConsumerOptions options, Handler<Frame.Message> display) {
    this.givenOptions = options;
    this.display = display;
  }

  public Future<ConsumerSummary> completion() {
    return run.completion();
  }

  /** Reports the counts so far every {@code intervalMs}, on the verticle's loop. Call before deploying. */
  public void onProgress(long intervalMs, Handler<ConsumerSummary> handler) {
    run.onProgress(intervalMs, handler);
  }

  @Override
  public Future<?> start() {
    options = givenOptions != null ? givenOptions : ConsumerOptions.fromJson(config());
    if (givenOptions == null) {
      run.logAndCloseWhenDone(vertx, log, "consumer", ConsumerSummary::describeWithErrors);
    }
    Integer initialCredit = options.initialCredit();
    credit = initialCredit == null ? Long.MAX_VALUE : initialCredit;
    ClientOptions clientOptions = ClientOptions.builder().host(options.host()).port(options.port())
        .tls(options.tls()).reconnect(false).vertx(vertx).build();
    // No producer connection: the broker sees one consumer, registered with the options' frame.
    return CourierClient.connect(clientOptions, null)
        .compose(c -> {
          client = c;
          c.onEvent(e -> {
            if (e.type() == ClientEvent.Type.DISCONNECTED) {
              finish(e.reason());
            }
          });
          return c.subscribe(options.topic(), options.group(), SubscribeOptions.defaults().withAutoAck(false),
              options.register(), this::onMessage);
        })
        .onSuccess(subscribed -> {
          consumer = subscribed;
          consumer.onBrokerError(errors::add); // counted: the summary names each code once, with a hint
          run.started(vertx, this::snapshot);
        });
  }

  @Override
  public Future<?> stop() {
    // Vert.x is closing: end the run now, its loops may not run what a later end would need.
    finish(null, true);
    return Future.succeededFuture();
  }

  private void onMessage(Delivery delivery) {
    if (finished) {
      return;
    }
    if (consumer == null) {
      consumer = delivery.consumer(); // a first delivery can come before the subscribe's future runs
    }
    Frame.Message message = delivery.frame();
    received++;
    if (message.id() > 0 && message.id() <= Integer.MAX_VALUE) {
      if (seen.get((int) message.id())) {
        redelivered++;
      }
      seen.set((int) message.id());
    }
    display.handle(message);
    boolean nack = options.nacks().nacks(received);
    if (options.ack() && options.ackDelayMs() > 0) {
      pendingAcks++;
      limitCredit();
      vertx.setTimer(options.ackDelayMs(), t -> {
        pendingAcks--;
        if (!finished) {
          limitCredit();
          answer(delivery, nack);
        }
        finishIfCounted();
      });
    } else {
      limitCredit();
      if (options.ack()) {
        answer(delivery, nack);
      }
    }
    finishIfCounted();
  }

  /**
   * With {@code count}, lowers the credit before an ack frees a unit of it, so that what the
   * consumer holds plus what the broker may still send never exceeds what it still wants: a
   * consumer stopping at its count gives nothing back. Sent only once the count is near (the
   * credit then falls by one per message), so long runs pay no extra frames.
   */
  private void limitCredit() {
    if (options.count() == 0) {
      return;
    }
    long held = options.ack() ? pendingAcks : received;
    long wanted = held + Math.max(0, options.count() - received);
    if (wanted < credit) {
      credit = wanted;
      consumer.credit(wanted);
    }
  }

  private void answer(Delivery delivery, boolean nack) {
    if (nack) {
      Long delayMs = options.nacks().delayMs();
      lastWrite = delayMs == null ? delivery.nack() : delivery.nack(Duration.ofMillis(delayMs));
      nacked++;
    } else {
      lastWrite = delivery.ack();
      acked++;
    }
  }

  private void finishIfCounted() {
    if (options.count() > 0 && received >= options.count() && pendingAcks == 0) {
      finish(null);
    }
  }

  private ConsumerSummary snapshot(String failure) {
    return new ConsumerSummary(received, redelivered, acked, nacked, errors.total(), run.elapsedNanos(), failure,
        errors.lines());
  }

  private void finish(String failure) {
    finish(failure, false);
  }

  /**
   * Ends the run: the connection closes once the last ack is on the wire (or the broker would
   * deliver it again), and only then does {@link #completion()} complete, so that a caller who
   * closes Vert.x on completion cannot cut that ack off. {@code now}: complete at once (stop).
   */
  private void finish(String failure, boolean now) {
    if (finished) {
      return;
    }
    finished = true;
    ConsumerSummary summary = snapshot(failure);
    if (client == null || now) {
      run.finish(vertx, summary);
      if (client != null) {
        CourierClient c = client;
        lastWrite.onComplete(ar -> c.shutdown());
      }
    } else {
      CourierClient c = client;
      // Bounded: a broker that no longer reads must not keep the consumer from ending.
      long guard = vertx.setTimer(Handshake.DEFAULT_DEADLINE_MS, t -> run.finish(vertx, summary));
      lastWrite.onComplete(ar -> c.shutdown().onComplete(x -> {
        vertx.cancelTimer(guard);
        run.finish(vertx, summary);
      }));
    }
  }
}
