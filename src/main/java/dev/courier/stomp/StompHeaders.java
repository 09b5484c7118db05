package dev.courier.stomp;

import dev.courier.core.Publication;
import io.vertx.ext.stomp.Frame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The headers Courier reads or writes beyond STOMP's own (docs/STOMP.md). */
final class StompHeaders {
  /** On MESSAGE: the message's id in its topic, the same id Courier-protocol consumers see. */
  static final String ID = "courier-id";
  /** On MESSAGE: 1 on first delivery, more on redeliveries. */
  static final String ATTEMPT = "courier-attempt";
  /** On SEND and MESSAGE: the message key. */
  static final String KEY = "courier-key";
  /** On SUBSCRIBE: the group, overriding what the destination implies. */
  static final String GROUP = "courier-group";
  /** On SUBSCRIBE: the consumer's credit, as RabbitMQ's STOMP plugin names it. */
  static final String PREFETCH = "prefetch-count";
  /** On SUBSCRIBE to /topic/: a group that outlives the subscription, as in ActiveMQ and Artemis. */
  static final String DURABLE_NAME = "durable-subscription-name";

  /** On NACK: give the message back not before this many milliseconds (the core's nack delay). */
  static final String DELAY_MS = "courier-delay-ms";

  /** On RECEIPT of a SEND with a life-cycle header: the message's id (a dedup hit: the first one's). */
  static final String RECEIPT_ID = ID;
  /** On RECEIPT of a SEND whose courier-dedup-id was seen within the dedup window: nothing new was stored. */
  static final String DUPLICATE = "courier-duplicate";

  /** Frame headers that steer STOMP or the broker and are not kept with the message. */
  private static final Set<String> NOT_KEPT = Set.of(Frame.DESTINATION, Frame.RECEIPT, Frame.TRANSACTION,
      Frame.CONTENT_LENGTH, KEY, StompLifecycle.DELAY_MS, StompLifecycle.DELIVER_AT, StompLifecycle.TTL_MS,
      StompLifecycle.DEDUP_ID);

  private StompHeaders() {}

  /** A SEND's headers as the message's: all but STOMP's own; {@code content-type} is kept. */
  static Map<String, String> messageHeaders(Frame frame) {
    Map<String, String> kept = new LinkedHashMap<>();
    frame.getHeaders().forEach((name, value) -> {
      if (!NOT_KEPT.contains(name)) {
        kept.put(name, value);
      }
    });
    return kept;
  }

  /** Characters of the payload, key and headers: what a Courier-protocol frame of it carries. */
  static long storedChars(Publication publication) {
    long chars = publication.payload().length() + (publication.key() == null ? 0 : publication.key().length());
    if (publication.headers() != null) {
      for (Map.Entry<String, String> header : publication.headers().entrySet()) {
        chars += header.getKey().length() + header.getValue().length();
      }
    }
    return chars;
  }

  /**
   * The group a SUBSCRIBE joins: {@code courier-group}; else for a queue its shared group; for a
   * topic the durable subscription's name. Null for a topic without either (docs/STOMP.md says why).
   */
  static String group(Frame frame, StompDestination destination) {
    String named = frame.getHeader(GROUP);
    if (named != null) {
      return named;
    }
    if (destination == null || !destination.fanOut()) {
      return StompDestination.queueGroup();
    }
    return frame.getHeader(DURABLE_NAME);
  }

  /** The prefetch-count header: null when absent, -1 when not a positive whole number. */
  static Integer prefetch(Frame frame) {
    String value = frame.getHeader(PREFETCH);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
