package dev.courier.protocol;

import static dev.courier.protocol.PlainBytes.ascii;
import static dev.courier.protocol.PlainBytes.digitsEnd;
import static dev.courier.protocol.PlainBytes.number;
import static dev.courier.protocol.PlainBytes.plainTextEnd;
import static dev.courier.protocol.PlainBytes.startsWith;

import dev.courier.core.Names;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the two frames a busy broker receives almost only straight from their bytes, building the
 * same {@link Frame} {@link FrameCodec#decode} builds:
 *
 * <pre>
 *  {"type":"publish","payload":"hello"}
 *  {"type":"publish","payload":"hello","topic":"orders"}
 *  {"type":"ack","id":42}
 * </pre>
 *
 * exactly so, as the clients write them. Anything else is declined (null) and goes to
 * {@link FrameCodec}, so that strictness and every error stay its own: whitespace, another field
 * order, any other or repeated field, an escape, a byte outside printable ASCII, an id of more than
 * 18 digits or with a leading zero, a topic that breaks the name rule. Profiled at 20,000 msg/s, a
 * Jackson parser per frame was an eighth of the broker's allocation (docs/FOOTPRINT.md, "hotpath").
 *
 * <p>One per decoder, on its thread: a producer's publishes name the same topic, so its string is
 * made and checked once, not per frame.
 */
final class PlainInbound {
  private static final byte[] PUBLISH = ascii("{\"type\":\"publish\",\"payload\":\"");
  private static final byte[] TOPIC = ascii(",\"topic\":\"");
  private static final byte[] ACK = ascii("{\"type\":\"ack\",\"id\":");

  private byte[] lastTopicBytes;
  private String lastTopic;

  /** The frame of {@code b[from, to)}, or null when it is not one of the plain shapes above. */
  Frame read(byte[] b, int from, int to) {
    if (startsWith(b, from, to, PUBLISH)) {
      return publish(b, from + PUBLISH.length, to);
    }
    if (startsWith(b, from, to, ACK)) {
      int digitsFrom = from + ACK.length;
      int digitsTo = digitsEnd(b, digitsFrom, to);
      if (digitsTo != to - 1 || b[digitsTo] != '}') {
        return null;
      }
      return new Frame.Ack(number(b, digitsFrom, digitsTo));
    }
    return null;
  }

  private Frame publish(byte[] b, int payloadFrom, int to) {
    int payloadTo = plainTextEnd(b, payloadFrom, to);
    if (payloadTo < 0) {
      return null;
    }
    String topic = null;
    int p = payloadTo + 1;
    if (p != to - 1 || b[p] != '}') {
      if (!startsWith(b, p, to, TOPIC)) {
        return null;
      }
      int topicFrom = p + TOPIC.length;
      int topicTo = plainTextEnd(b, topicFrom, to);
      if (topicTo != to - 2 || b[to - 1] != '}') {
        return null;
      }
      topic = topic(b, topicFrom, topicTo);
      if (topic == null) {
        return null;
      }
    }
    String payload = new String(b, payloadFrom, payloadTo - payloadFrom, StandardCharsets.ISO_8859_1);
    return new Frame.Publish(payload, topic, null, null, null);
  }

  /** The topic of {@code b[from, to)}, made and checked once while it stays the same; null when it breaks the name rule. */
  private String topic(byte[] b, int from, int to) {
    if (lastTopic != null && Arrays.equals(b, from, to, lastTopicBytes, 0, lastTopicBytes.length)) {
      return lastTopic;
    }
    String topic = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    if (!Names.isValid(topic)) {
      return null; // FrameCodec words the invalid_name error
    }
    lastTopicBytes = Arrays.copyOfRange(b, from, to);
    lastTopic = topic;
    return topic;
  }
}
