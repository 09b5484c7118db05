package dev.courier.stomp;

import dev.courier.core.AckResult;
import dev.courier.core.Broker;
import dev.courier.core.Names;
import dev.courier.security.Principal;
import io.vertx.ext.stomp.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SUBSCRIBEs of one STOMP connection and what acts on them: SUBSCRIBE, UNSUBSCRIBE, ACK and
 * NACK. Each handler gives the reason for an ERROR, or null when the frame took effect. Lives on
 * the broker's loop.
 */
final class StompSubscriptions {
  private static final Logger log = LoggerFactory.getLogger(StompConnection.class);
  /**
   * SUBSCRIBEs one connection may hold: each is a consumer in a group's ring, and clients use a
   * handful; vertx-stomp's own limit is 1,000, which only a leak reaches.
   */
  static final int MAX_SUBSCRIPTIONS = 256;

  private final String name;
  private final StompContext context;
  private final Broker broker;
  private final StompAccess access;
  private final StompSubscription.Deliveries deliveries;
  private final Map<String, StompSubscription> byId = new HashMap<>();
  private final Map<Integer, StompSubscription> bySerial = new HashMap<>();
  private final List<StompSubscription.AutoAck> autoAcks = new ArrayList<>();
  private int nextSerial = 1;

  StompSubscriptions(String name, StompContext context, StompAccess access, StompSubscription.Deliveries deliveries) {
    this.name = name;
    this.context = context;
    this.broker = context.broker();
    this.access = access;
    this.deliveries = deliveries;
  }

  String subscribe(Frame frame, Principal who) {
    String id = idOf(frame);
    StompDestination destination = StompDestination.parse(frame.getDestination());
    StompSubscription.AckMode ackMode = StompSubscription.AckMode.parse(frame.getAck());
    String group = StompHeaders.group(frame, destination);
    Integer prefetch = StompHeaders.prefetch(frame);
    String problem = destination == null ? StompDestination.problem(frame.getDestination())
        : id == null ? "SUBSCRIBE needs an id header"
        : byId.containsKey(id) ? "subscription id \"" + id + "\" is in use on this connection"
        : byId.size() >= MAX_SUBSCRIPTIONS ? "this connection has " + MAX_SUBSCRIPTIONS + " subscriptions already"
        : ackMode == null ? "ack must be auto, client or client-individual, was \"" + frame.getAck() + "\""
        : group == null ? "a /topic/ SUBSCRIBE needs durable-subscription-name or courier-group (docs/STOMP.md)"
        : !Names.isValid(group) ? "group \"" + group + "\" must be " + Names.DESCRIPTION
        : prefetch != null && prefetch < 1 ? "prefetch-count must be a whole number of at least 1, was \""
            + frame.getHeader(StompHeaders.PREFETCH) + "\""
        : access.subscribeProblem(who, destination.topic(), group);
    if (problem != null) {
      return problem;
    }
    String topic = destination.topic();
    boolean newTopic = !broker.hasTopic(topic);
    StompSubscription subscription = new StompSubscription(id, nextSerial++, frame.getDestination(), ackMode, name,
        deliveries);
    byId.put(id, subscription);
    bySerial.put(subscription.serial, subscription);
    // Known before subscribing: the subscription delivers at once what is waiting.
    subscription.subscription = broker.subscribe(topic, group, destination.fanOut(),
        prefetch != null ? prefetch : context.config().maxInFlightPerConsumer(), subscription);
    if (newTopic) {
      context.quotas().createdTopic(who);
    }
    log.debug("{} subscribed id={} to topic={} group={} ack={}", name, id, topic, group, ackMode);
    return null;
  }

  String unsubscribe(Frame frame) {
    String id = idOf(frame);
    StompSubscription subscription = id == null ? null : byId.remove(id);
    if (subscription == null) {
      return "no subscription \"" + id + "\" on this connection";
    }
    bySerial.remove(subscription.serial);
    broker.unsubscribe(subscription.subscription);
    return null;
  }

  /** ACK or NACK; {@code ack:client} covers every delivery of the subscription up to the one named. */
  String ack(Frame frame, boolean nack) {
    String ackId = frame.getHeader(Frame.ID) != null ? frame.getHeader(Frame.ID) : frame.getHeader(Frame.MESSAGE_ID);
    StompSubscription subscription = null;
    long messageId = -1;
    int dash = ackId == null ? -1 : ackId.indexOf('-');
    if (dash > 0) {
      try {
        subscription = bySerial.get(Integer.parseInt(ackId.substring(0, dash)));
        messageId = Long.parseLong(ackId.substring(dash + 1));
      } catch (NumberFormatException e) {
        subscription = null;
      }
    }
    String command = nack ? "NACK" : "ACK";
    if (subscription == null) {
      return command + " names no delivery of an active subscription of this connection: \"" + ackId + "\"";
    }
    if (subscription.ackMode == StompSubscription.AckMode.AUTO) {
      return "subscription \"" + subscription.id + "\" uses ack:auto; its messages need no " + command;
    }
    AckResult named = AckResult.UNKNOWN_MESSAGE;
    for (long id : subscription.take(messageId)) {
      AckResult result = nack ? broker.nack(subscription.subscription, id) : broker.ack(subscription.subscription, id);
      if (id == messageId) {
        named = result;
      }
    }
    return named == AckResult.ACKED ? null : "message " + ackId + " is not in flight for this subscription (already "
        + "acked, or redelivered after its ack timeout)";
  }

  /** A delivery of an {@code ack:auto} subscription was written: ack it, once the core's dispatch is over. */
  void written(StompSubscription subscription, long messageId) {
    if (subscription.ackMode != StompSubscription.AckMode.AUTO) {
      return;
    }
    // Not from inside the delivery: the core is in the middle of dispatching to this consumer.
    if (autoAcks.isEmpty()) {
      context.vertx().runOnContext(v -> flushAutoAcks());
    }
    autoAcks.add(new StompSubscription.AutoAck(subscription, messageId));
  }

  /** The socket drained: every subscription may take messages again. */
  void writable() {
    for (StompSubscription subscription : new ArrayList<>(byId.values())) {
      broker.consumerWritable(subscription.subscription);
    }
  }

  /** The connection is gone: its unacked messages go to the other consumers at once (the core's rule). */
  void closeAll() {
    for (StompSubscription subscription : byId.values()) {
      broker.unsubscribe(subscription.subscription);
    }
    byId.clear();
    bySerial.clear();
  }

  private void flushAutoAcks() {
    List<StompSubscription.AutoAck> due = new ArrayList<>(autoAcks);
    autoAcks.clear();
    for (StompSubscription.AutoAck ack : due) {
      if (bySerial.get(ack.subscription().serial) == ack.subscription()) {
        broker.ack(ack.subscription().subscription, ack.messageId());
      }
    }
  }

  /** The id header; STOMP 1.0 lets it out, and the destination names the subscription then. */
  private static String idOf(Frame frame) {
    return frame.getHeader(Frame.ID) != null ? frame.getHeader(Frame.ID) : frame.getDestination();
  }
}
