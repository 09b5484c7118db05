package dev.courier.stomp;

import dev.courier.core.Broker;
import dev.courier.core.Names;

/**
 * A STOMP destination as a Courier topic (docs/STOMP.md): {@code /queue/NAME} is topic NAME with
 * its {@code default} group, the one seed clients share; {@code /topic/NAME} is topic NAME where
 * every subscription has a group of its own (fan-out). A bare NAME is taken as {@code /queue/NAME}.
 *
 * @param fanOut true for {@code /topic/}: a SUBSCRIBE needs a group name of its own
 */
record StompDestination(String topic, boolean fanOut) {
  static final String QUEUE = "/queue/";
  static final String TOPIC = "/topic/";

  /** The destination a header names, or null when it names no valid topic. */
  static StompDestination parse(String header) {
    if (header == null) {
      return null;
    }
    boolean fanOut = header.startsWith(TOPIC);
    String name = header.startsWith(QUEUE) ? header.substring(QUEUE.length())
        : fanOut ? header.substring(TOPIC.length()) : header;
    return Names.isValid(name) ? new StompDestination(name, fanOut) : null;
  }

  /** Why {@link #parse} gave null, for the ERROR frame. */
  static String problem(String header) {
    if (header == null) {
      return "the frame needs a destination header (/queue/NAME or /topic/NAME)";
    }
    return "destination \"" + header + "\" names no valid topic: /queue/NAME or /topic/NAME, NAME " + Names.DESCRIPTION;
  }

  /** The group of a queue, shared by its competing consumers. */
  static String queueGroup() {
    return Broker.DEFAULT_GROUP;
  }
}
