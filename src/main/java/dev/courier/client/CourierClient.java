package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a Courier broker: {@link #producer()} publishes, {@link #subscribe} and
 * {@link #pull} consume. The protocol gives each role its own TCP connection, so a client holds
 * one producer connection (opened by {@link #connect}) and one more per consumer; each reconnects
 * on its own after a loss (see {@link ClientOptions.Builder#reconnect}) and reports it through
 * {@link #onEvent}.
 *
 * <p>Threads: every method may be called from any thread. The client's work, and every callback
 * (futures, handlers, events), runs on one Vert.x event loop of its own, so a handler must not
 * block: hand blocking work to a worker, or use {@link #pull} with {@link PullConsumer#receive}.
 * Every {@link Future} here has {@link Future#toCompletionStage()} for code that does not use
 * Vert.x; {@link #connectAsync} starts that way.
 */
public final class CourierClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CourierClient.class);

  private final ClientOptions options;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Context context;
  private final List<Handler<ClientEvent>> eventHandlers = new CopyOnWriteArrayList<>();
  /** Touched on {@link #context} only. */
  private final List<Link> consumerLinks = new ArrayList<>();
  private Producer producer;
  private boolean closed;

  private CourierClient(ClientOptions options, Vertx vertx, boolean ownsVertx) {
    this.options = options;
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Connects and registers the producer connection; completes once the broker has accepted it, or
   * fails with {@link CourierException.Reason#CONNECT_FAILED} saying why (unreachable, not a
   * Courier broker, TLS, refused credentials). Only a connection that once succeeded is reopened
   * after a loss.
   */
  public static Future<CourierClient> connect(ClientOptions options) {
    return connect(options, options.opensProducer ? producerRegister(options) : null);
  }

  /**
   * For the CLI's client verticles: the producer registers with {@code producerRegister} (the
   * seed's frame when no topic is named), or with null there is no producer connection at all (a
   * consumer-only client, which must not show up as an extra connection to the broker).
   */
  static Future<CourierClient> connect(ClientOptions options, Frame.Register producerRegister) {
    boolean owns = options.vertx == null;
    Vertx vertx = owns ? newVertx() : options.vertx;
    CourierClient client = new CourierClient(options, vertx, owns);
    Promise<CourierClient> connected = Promise.promise();
    client.context.runOnContext(v -> client.openProducer(producerRegister).onComplete(ar -> {
      if (ar.succeeded()) {
        connected.complete(client);
      } else {
        (owns ? Blocking.closeFromOutside(vertx) : Future.<Void>succeededFuture()).onComplete(x -> connected.fail(ar.cause()));
      }
    }));
    return connected.future();
  }

  /** {@link #connect} for code without Vert.x. */
  public static CompletionStage<CourierClient> connectAsync(ClientOptions options) {
    return connect(options).toCompletionStage();
  }

  /**
   * {@link #connect} and wait: for plain Java programs. Refuses to run on an event loop.
   *
   * @throws CourierException when the connect fails
   */
  public static CourierClient connectAndWait(ClientOptions options) {
    Blocking.refuseOnEventLoop("CourierClient.connectAndWait");
    return Blocking.await(connect(options), options.connectTimeoutMs + 1_000);
  }

  private static Frame.Register producerRegister(ClientOptions options) {
    return new Frame.Register(Frame.Role.PRODUCER, null, null, null, null, options.clientName,
        true, options.credentials.user(), options.credentials.password());
  }

  private Future<Void> openProducer(Frame.Register register) {
    if (register == null) {
      return Future.succeededFuture();
    }
    producer = new Producer(this);
    Link link = new Link(this, "producer", register, producer.linkListener());
    producer.attach(link);
    return link.open();
  }

  /** The producer: publishes to any topic over the client's producer connection. */
  public Producer producer() {
    if (producer == null) {
      throw new IllegalStateException("this client was built with consumeOnly(): it has no producer");
    }
    return producer;
  }

  /**
   * Subscribes {@code handler} to {@code topic} in consumer group {@code group} on a connection of
   * its own; completes once the broker accepted the registration. After a reconnect the
   * subscription resumes by itself. See {@link SubscribeOptions} for prefetch, start, auto-ack.
   */
  public Future<Consumer> subscribe(String topic, String group, SubscribeOptions subscribeOptions,
      DeliveryHandler handler) {
    return subscribe(topic, group, subscribeOptions, null, handler);
  }

  /** For the CLI's consumer verticle: registers with {@code register} when not null (the seed's frame, say). */
  Future<Consumer> subscribe(String topic, String group, SubscribeOptions subscribeOptions, Frame.Register register,
      DeliveryHandler handler) {
    Promise<Consumer> subscribed = Promise.promise();
    onContext(() -> {
      if (closed) {
        subscribed.fail(new CourierException(CourierException.Reason.CLOSED, "the client is closed"));
        return;
      }
      Consumer consumer = new Consumer(this, topic, group, subscribeOptions, register, handler);
      Link link = consumer.link();
      consumerLinks.add(link);
      link.open().onSuccess(v -> subscribed.complete(consumer)).onFailure(e -> {
        consumerLinks.remove(link);
        subscribed.fail(e);
      });
    });
    return subscribed.future();
  }

  /** {@link #subscribe} with the default options (broker's prefetch, earliest start, auto-ack). */
  public Future<Consumer> subscribe(String topic, String group, DeliveryHandler handler) {
    return subscribe(topic, group, SubscribeOptions.defaults(), handler);
  }

  /**
   * A consumer for plain Java programs, taken from with {@link PullConsumer#receive}: deliveries
   * wait in a buffer the prefetch bounds (auto-ack is off: ack each one).
   */
  public Future<PullConsumer> pull(String topic, String group, SubscribeOptions subscribeOptions) {
    PullConsumer pull = new PullConsumer();
    return subscribe(topic, group, subscribeOptions.withAutoAck(false), pull::offer).map(pull::attach);
  }

  /** Calls {@code handler} (on the client's event loop) for every {@link ClientEvent} of every connection. */
  public CourierClient onEvent(Handler<ClientEvent> handler) {
    eventHandlers.add(handler);
    return this;
  }

  /**
   * Closes every connection. Publishes not yet confirmed fail with
   * {@link CourierException.Reason#CLOSED}; deliveries not acked go back to the broker.
   */
  public Future<Void> shutdown() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (closed) {
        done.complete();
        return;
      }
      closed = true;
      List<Future<Void>> closing = new ArrayList<>();
      // A copy: closing a link makes its consumer forget it, which edits the list.
      new ArrayList<>(consumerLinks).forEach(l -> closing.add(l.close()));
      consumerLinks.clear();
      if (producer != null) {
        closing.add(producer.close());
      }
      Future.join(closing).<Void>mapEmpty()
          .eventually(() -> ownsVertx ? Blocking.closeFromOutside(vertx) : Future.succeededFuture())
          .onComplete(ar -> done.complete());
    });
    return done.future();
  }

  /** {@link #shutdown()} and wait; refuses to run on an event loop. */
  @Override
  public void close() {
    Blocking.refuseOnEventLoop("CourierClient.close");
    Blocking.await(shutdown(), 30_000);
  }

  /**
   * A Vert.x for a client process: on Linux x86-64 its sockets use Netty's epoll transport, which
   * takes fewer system calls per frame than NIO; elsewhere NIO. A client given no Vert.x makes one
   * of these, and closes it with itself.
   */
  public static Vertx newVertx() {
    return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  ClientOptions options() {
    return options;
  }

  Vertx vertx() {
    return vertx;
  }

  Context context() {
    return context;
  }

  void forget(Link link) {
    consumerLinks.remove(link);
  }

  boolean isOnContext() {
    return Vertx.currentContext() == context;
  }

  /** Runs {@code task} on the client's context: at once when already there. */
  void onContext(Runnable task) {
    if (isOnContext()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  void emit(ClientEvent event) {
    for (Handler<ClientEvent> handler : eventHandlers) {
      try {
        handler.handle(event);
      } catch (RuntimeException e) {
        log.warn("client event handler failed event={} error={}", event.type(), e.toString());
      }
    }
  }
}
