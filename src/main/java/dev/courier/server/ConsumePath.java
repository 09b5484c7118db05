package dev.courier.server;

import dev.courier.core.AckResult;
import dev.courier.core.Broker;
import dev.courier.core.Consumer;
import dev.courier.core.GroupSettings;
import dev.courier.core.Message;
import dev.courier.core.Ordering;
import dev.courier.core.Subscription;
import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.protocol.OutboundFrames;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer connection's side of the core: it is the core's {@link Consumer} for the socket,
 * turns deliveries into {@code message} frames and {@code ack}/{@code credit} frames into core
 * calls, and answers the core's refusals with their error codes. The connection keeps the state
 * machine. Used on the connection's event loop only.
 */
final class ConsumePath implements Consumer {
  // Connection's logger: these lines are the connection's, and keep the name operators filter on.
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final Supplier<String> name;
  private final Broker broker;
  private final OutboundFrames outbound;
  /** Whether the connection is a consumer still (not closing): only then does it take deliveries. */
  private final BooleanSupplier consuming;
  /** A recoverable error in reply order: the connection's reject. */
  private final BiConsumer<ErrorCode, String> reject;
  /** Only clients that registered with a non-seed field get a message's extra fields. */
  private boolean extended;
  /** In a single group a consumer receives only while it is the active one: its messages say so. */
  private boolean single;
  private Subscription subscription;

  ConsumePath(Supplier<String> name, Broker broker, OutboundFrames outbound, BooleanSupplier consuming,
      BiConsumer<ErrorCode, String> reject) {
    this.name = name;
    this.broker = broker;
    this.outbound = outbound;
    this.consuming = consuming;
    this.reject = reject;
  }

  /**
   * Joins the group; what is waiting is delivered at once, so the connection must be a consumer
   * already. Null when the topic does not exist and topics are not created on first use.
   */
  /** The consumer's subscription once registered, else null; for the HTTP API's connection list. */
  Subscription subscription() {
    return subscription;
  }

  Subscription subscribe(String topic, String group, Frame.Register register) {
    extended = register.extended();
    int prefetch = register.prefetch() != null ? register.prefetch() : Integer.MAX_VALUE;
    GroupSettings settings = settings(register);
    // Known before subscribing: what is waiting is delivered during the call.
    Ordering existing = broker.orderingOf(topic, group);
    single = (existing != null ? existing : settings.effectiveOrdering()) == Ordering.SINGLE;
    subscription = broker.subscribe(topic, group, register.start() == Frame.Start.LATEST, prefetch, settings, this);
    return subscription;
  }

  /** What a new group is created with: the register's max_deliveries, dead_letter_topic and ordering, else the defaults. */
  static GroupSettings settings(Frame.Register register) {
    return register.maxDeliveries() == null && register.deadLetterTopic() == null && register.ordering() == null
        ? GroupSettings.DEFAULT
        : new GroupSettings(register.maxDeliveries(), register.deadLetterTopic(), ordering(register.ordering()));
  }

  private static Ordering ordering(Frame.Ordering ordering) {
    return ordering == null ? null : switch (ordering) {
      case NONE -> Ordering.NONE;
      case KEY -> Ordering.KEY;
      case SINGLE -> Ordering.SINGLE;
    };
  }

  @Override
  public String name() {
    return name.get();
  }

  @Override
  public boolean canAccept() {
    return consuming.getAsBoolean() && !outbound.isBackedUp();
  }

  @Override
  public void deliver(Message message, int attempt) {
    Frame.MessageDetails details = !extended ? null : new Frame.MessageDetails(message.topic(), attempt,
        message.timestampMillis(), message.key(), message.headers(), message.base64() ? Frame.Encoding.BASE64 : null,
        single ? Boolean.TRUE : null);
    outbound.add(new Frame.Message(message.id(), message.payload(), details));
  }

  /** The frames only a registered consumer may send: ack, nack, touch, credit. */
  static boolean handles(Frame frame) {
    return frame instanceof Frame.Ack || frame instanceof Frame.Nack || frame instanceof Frame.Touch
        || frame instanceof Frame.Credit;
  }

  void handle(Frame frame) {
    if (frame instanceof Frame.Ack ack) {
      ack(ack);
    } else if (frame instanceof Frame.Nack nack) {
      nack(nack);
    } else if (frame instanceof Frame.Touch touch) {
      touch(touch);
    } else {
      credit((Frame.Credit) frame);
    }
  }

  void ack(Frame.Ack ack) {
    answer(broker.ack(subscription, ack.id()), ack.id());
  }

  /** A failed attempt: given back now, or with delay_ms not before then. Errors as for ack. */
  void nack(Frame.Nack nack) {
    answer(broker.nack(subscription, nack.id(), nack.delayMs() == null ? 0 : nack.delayMs()), nack.id());
  }

  /** Still working on it: its ack deadline restarts from now. Errors as for ack. */
  void touch(Frame.Touch touch) {
    answer(broker.touch(subscription, touch.id()), touch.id());
  }

  /** Success has no reply; the refusals are the same for ack, nack and touch. */
  private void answer(AckResult result, long id) {
    switch (result) {
      case ACKED -> { }
      case UNKNOWN_MESSAGE -> reject.accept(ErrorCode.UNKNOWN_MESSAGE, "message " + Long.toUnsignedString(id)
          + " is not in flight (never delivered, already acked, or requeued after its ack timeout)");
      case NOT_OWNER -> reject.accept(ErrorCode.NOT_OWNER, "message " + id + " was delivered to another consumer");
    }
  }

  void credit(Frame.Credit credit) {
    broker.setCredit(subscription, credit.n());
    log.debug("{} credit={}", name.get(), subscription.credit());
  }

  /** The socket drained: the core may deliver again. */
  void writable() {
    if (subscription != null) {
      broker.consumerWritable(subscription);
    }
  }

  /** The connection closed: its in-flight messages go back to the group. */
  void close() {
    if (subscription != null) {
      broker.unsubscribe(subscription);
    }
  }
}
