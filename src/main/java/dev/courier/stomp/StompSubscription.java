package dev.courier.stomp;

import dev.courier.core.Consumer;
import dev.courier.core.Message;
import dev.courier.core.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SUBSCRIBE of a STOMP connection: the core's consumer for it, and the deliveries it holds
 * unacked in delivery order (what {@code ack:client} acks cumulatively). Lives on the broker's loop.
 */
final class StompSubscription implements Consumer {
  enum AckMode {
    AUTO, CLIENT, CLIENT_INDIVIDUAL;

    static AckMode parse(String header) {
      if (header == null || header.equals("auto")) {
        return AUTO;
      }
      return switch (header) {
        case "client" -> CLIENT;
        case "client-individual" -> CLIENT_INDIVIDUAL;
        default -> null;
      };
    }
  }

  /** A delivery of an {@code ack:auto} subscription, acked right after it was written. */
  record AutoAck(StompSubscription subscription, long messageId) {}

  /** What the connection does with a delivery: write its MESSAGE frame. */
  interface Deliveries {
    boolean canWrite();

    void write(StompSubscription subscription, Message message, int attempt);
  }

  final String id;
  /** This connection's number for it: ack ids are {@code serial-messageId}, unique per connection. */
  final int serial;
  final String destination;
  final AckMode ackMode;
  private final String name;
  private final Deliveries deliveries;
  /** Message ids delivered and not acked yet, oldest delivery first. */
  private final Map<Long, Boolean> unacked = new LinkedHashMap<>();
  Subscription subscription;

  StompSubscription(String id, int serial, String destination, AckMode ackMode, String connectionName,
      Deliveries deliveries) {
    this.id = id;
    this.serial = serial;
    this.destination = destination;
    this.ackMode = ackMode;
    this.name = connectionName + " sub=" + id;
    this.deliveries = deliveries;
  }

  @Override
  public boolean canAccept() {
    return deliveries.canWrite();
  }

  @Override
  public void deliver(Message message, int attempt) {
    if (ackMode != AckMode.AUTO) {
      unacked.remove(message.id()); // a redelivery to the same subscription is its newest delivery
      unacked.put(message.id(), Boolean.TRUE);
    }
    deliveries.write(this, message, attempt);
  }

  @Override
  public String name() {
    return name;
  }

  String ackId(long messageId) {
    return serial + "-" + messageId;
  }

  /**
   * The message ids an ACK or NACK of {@code messageId} covers: that one, and with
   * {@code ack:client} every delivery before it too. They are forgotten here.
   */
  List<Long> take(long messageId) {
    List<Long> ids = new ArrayList<>();
    if (ackMode == AckMode.CLIENT && unacked.containsKey(messageId)) {
      for (var it = unacked.keySet().iterator(); it.hasNext(); ) {
        long id = it.next();
        it.remove();
        ids.add(id);
        if (id == messageId) {
          break;
        }
      }
    } else {
      unacked.remove(messageId);
      ids.add(messageId);
    }
    return ids;
  }
}
