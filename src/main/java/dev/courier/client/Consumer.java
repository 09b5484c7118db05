package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a {@link CourierClient}: a connection registered as a consumer of a topic
 * in a group, whose deliveries go to a {@link DeliveryHandler}. Every group of a topic gets every
 * message; inside a group each goes to one consumer, round-robin. After a lost connection it
 * reconnects and registers again by itself; deliveries not acked by then come again.
 */
public final class Consumer {
  private static final Logger log = LoggerFactory.getLogger(Consumer.class);
  /** A handler that throws on every message must not write a log line per message. */
  private static final long LOG_EVERY_NTH_FAILURE = 1000;

  private final CourierClient client;
  private final String topic;
  private final String group;
  private final SubscribeOptions options;
  private final DeliveryHandler handler;
  private final Link link;
  private long handlerFailures;
  private long brokerErrors;

  private Handler<Frame.Error> brokerErrorHandler;

  Consumer(CourierClient client, String topic, String group, SubscribeOptions options, Frame.Register given,
      DeliveryHandler handler) {
    this.client = client;
    this.topic = topic;
    this.group = group;
    this.options = options;
    this.handler = handler;
    ClientOptions o = client.options();
    Frame.Register register = given != null ? given : new Frame.Register(Frame.Role.CONSUMER, topic, group, options.prefetch(),
        options.start(), o.clientName, true, o.credentials.user(), o.credentials.password(),
        options.maxDeliveries(), options.deadLetterTopic());
    this.link = new Link(client, "consumer " + (topic == null ? "default" : topic) + "/" + (group == null
        ? "default" : group), register, listener());
  }

  public String topic() {
    return topic;
  }

  public String group() {
    return group;
  }

  /** True while connected and registered. */
  public boolean isConnected() {
    return link.current() != null;
  }

  /** Handler calls that threw so far (each such delivery was nacked). */
  public long handlerFailures() {
    return handlerFailures;
  }

  /** Stops this subscription: its connection closes and its unacked deliveries go back to the broker. */
  public Future<Void> close() {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    client.onContext(() -> {
      client.forget(link);
      link.close().onComplete(done);
    });
    return done.future();
  }

  /** For the CLI's consumer: each {@code error} frame the broker sends this consumer (on the client's context). */
  void onBrokerError(Handler<Frame.Error> handler) {
    this.brokerErrorHandler = handler;
  }

  /** Lowers (or raises) the broker's credit for this consumer on the current connection; on the client's context. */
  void credit(long n) {
    FrameConnection c = link.current();
    if (c != null) {
      c.send(new Frame.Credit(n));
    }
  }

  Link link() {
    return link;
  }

  CourierClient client() {
    return client;
  }

  private void deliver(FrameConnection connection, Frame.Message message) {
    Delivery delivery = new Delivery(this, connection, message);
    try {
      handler.handle(delivery);
    } catch (Exception | AssertionError e) {
      handlerFailures++;
      if (handlerFailures % LOG_EVERY_NTH_FAILURE == 1) {
        log.warn("consumer handler threw; message nacked conn={} topic={} msg={} failures={} error={}", link.name(),
            delivery.topic(), Long.toUnsignedString(message.id()), handlerFailures, e.toString());
      }
      if (!delivery.isSettled()) {
        delivery.nack();
      }
      return;
    }
    if (options.autoAck() && !delivery.isSettled()) {
      delivery.ack();
    }
  }

  private Link.Listener listener() {
    return new Link.Listener() {
      @Override
      public void connected(FrameConnection connection) {
      }

      @Override
      public void frame(FrameConnection connection, Frame frame) {
        if (frame instanceof Frame.Message message) {
          deliver(connection, message);
        } else if (frame instanceof Frame.Error error) {
          // An ack for a message that timed out, or a nack/touch to a broker without them.
          brokerErrors++;
          if (brokerErrorHandler != null) {
            brokerErrorHandler.handle(error);
            return;
          }
          if (brokerErrors % LOG_EVERY_NTH_FAILURE == 1) {
            log.warn("consumer got an error conn={} error={} count={}", link.name(), BrokerErrors.describe(error),
                brokerErrors);
          }
        }
      }

      @Override
      public void disconnected(String reason) {
      }

      @Override
      public void ended(String reason) {
        client.forget(link);
      }
    };
  }
}
