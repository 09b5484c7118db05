package dev.courier.client;

import static dev.courier.protocol.PlainBytes.ascii;
import static dev.courier.protocol.PlainBytes.digitsEnd;
import static dev.courier.protocol.PlainBytes.number;
import static dev.courier.protocol.PlainBytes.plainTextEnd;
import static dev.courier.protocol.PlainBytes.startsWith;

import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client's reader of length-prefixed frames. The two frames a busy client receives almost
 * only, a plain {@code {"type":"ok"}} and a {@code message} whose text is plain ASCII, are read
 * here straight from the bytes; every other frame, and any such frame that deviates in the least
 * (an escape, a field more or out of order), goes to {@link FrameCodec#decode}, so the result is
 * the same either way. Profiled in the bench, Jackson's parse and the record parser's buffer per
 * frame were a third of the client's CPU (docs/CLIENT.md, "Performance"). Used on the
 * connection's event loop only.
 */
final class InboundFrames {
  /** What a client learns from the bytes. */
  interface Listener {
    void onFrame(Frame frame);

    /** Not a frame: the connection should close; nothing more is read. */
    void onInvalidFrame(FrameException error);
  }

  private static final byte[] OK = ascii("{\"type\":\"ok\"}");
  private static final byte[] MESSAGE_ID = ascii("{\"type\":\"message\",\"id\":");
  private static final byte[] PAYLOAD = ascii(",\"payload\":\"");
  private static final byte[] TOPIC = ascii(",\"topic\":\"");
  private static final byte[] ATTEMPT = ascii(",\"attempt\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  /** Kept between reads: a frame's worth at most; given back when it grew past this and emptied. */
  private static final int RETAINED_BYTES = 64 * 1024;

  private final int maxFrameBytes;
  private final Listener listener;
  private byte[] held = new byte[0];
  /** A consumer's messages name the same topic: its string is made once, not per message. */
  private byte[] lastTopicBytes = new byte[0];
  private String lastTopic;
  private int heldBytes;
  private boolean failed;

  InboundFrames(int maxFrameBytes, Listener listener) {
    this.maxFrameBytes = maxFrameBytes;
    this.listener = listener;
  }

  /** Bytes as they came off the socket. */
  void feed(Buffer chunk) {
    if (failed) {
      return;
    }
    int length = chunk.length();
    if (heldBytes + length > held.length) {
      held = Arrays.copyOf(held, Math.max(heldBytes + length, held.length * 2));
    }
    chunk.getBytes(0, length, held, heldBytes);
    heldBytes += length;
    int pos = 0;
    while (!failed && heldBytes - pos >= FrameCodec.LENGTH_PREFIX_BYTES) {
      long bodyBytes = (held[pos] & 0xffL) << 24 | (held[pos + 1] & 0xff) << 16 | (held[pos + 2] & 0xff) << 8
          | (held[pos + 3] & 0xff);
      if (bodyBytes == 0 || bodyBytes > maxFrameBytes) {
        failed = true;
        listener.onInvalidFrame(bodyBytes == 0
            ? new FrameException(ErrorCode.EMPTY_FRAME, "frame length is 0; every frame needs a JSON body")
            : new FrameException(ErrorCode.FRAME_TOO_LARGE, "frame length " + bodyBytes + " exceeds the limit of "
                + maxFrameBytes + " bytes"));
        return;
      }
      if (heldBytes - pos - FrameCodec.LENGTH_PREFIX_BYTES < bodyBytes) {
        break;
      }
      int from = pos + FrameCodec.LENGTH_PREFIX_BYTES;
      pos = from + (int) bodyBytes;
      Frame frame = fast(held, from, pos, this);
      if (frame == null) {
        try {
          frame = FrameCodec.decode(Buffer.buffer(Arrays.copyOfRange(held, from, pos)), FrameCodec.Accept.ANY);
        } catch (FrameException e) {
          failed = true;
          listener.onInvalidFrame(e);
          return;
        }
      }
      listener.onFrame(frame);
    }
    heldBytes -= pos;
    if (heldBytes > 0 && pos > 0) {
      System.arraycopy(held, pos, held, 0, heldBytes);
    } else if (heldBytes == 0 && held.length > RETAINED_BYTES) {
      held = new byte[0];
    }
  }

  /** Bytes held of a frame not yet complete: non-zero when the socket ends mid-frame. */
  int partialBytes() {
    return heldBytes;
  }

  /** The frame of {@code b[from, to)} when it has one of the two common shapes, else null. */
  static Frame fast(byte[] b, int from, int to) {
    return fast(b, from, to, null);
  }

  private static Frame fast(byte[] b, int from, int to, InboundFrames topics) {
    if (to - from == OK.length && startsWith(b, from, to, OK)) {
      return Frame.Ok.INSTANCE;
    }
    if (!startsWith(b, from, to, MESSAGE_ID)) {
      return null;
    }
    int p = from + MESSAGE_ID.length;
    int idEnd = digitsEnd(b, p, to);
    if (idEnd < 0 || !startsWith(b, idEnd, to, PAYLOAD)) {
      return null;
    }
    long id = number(b, p, idEnd);
    int payloadFrom = idEnd + PAYLOAD.length;
    int payloadTo = plainTextEnd(b, payloadFrom, to);
    if (payloadTo < 0) {
      return null;
    }
    String payload = new String(b, payloadFrom, payloadTo - payloadFrom, StandardCharsets.ISO_8859_1);
    p = payloadTo + 1;
    if (p == to - 1 && b[p] == '}') {
      return new Frame.Message(id, payload);
    }
    if (!startsWith(b, p, to, TOPIC)) {
      return null;
    }
    int topicFrom = p + TOPIC.length;
    int topicTo = plainTextEnd(b, topicFrom, to);
    if (topicTo < 0 || !startsWith(b, topicTo + 1, to, ATTEMPT)) {
      return null;
    }
    int attemptFrom = topicTo + 1 + ATTEMPT.length;
    int attemptTo = digitsEnd(b, attemptFrom, to);
    if (attemptTo < 0 || attemptTo - attemptFrom > 9 || !startsWith(b, attemptTo, to, TIMESTAMP)) {
      return null;
    }
    int stampFrom = attemptTo + TIMESTAMP.length;
    int stampTo = digitsEnd(b, stampFrom, to);
    if (stampTo != to - 1 || b[stampTo] != '}') {
      return null; // a key, headers or an encoding follow: the full decoder reads those
    }
    String topic = topics == null ? new String(b, topicFrom, topicTo - topicFrom, StandardCharsets.ISO_8859_1)
        : topics.topic(b, topicFrom, topicTo);
    return new Frame.Message(id, payload, new Frame.MessageDetails(topic, (int) number(b, attemptFrom, attemptTo),
        number(b, stampFrom, stampTo), null, null, null));
  }

  private String topic(byte[] b, int from, int to) {
    if (lastTopic == null || !Arrays.equals(b, from, to, lastTopicBytes, 0, lastTopicBytes.length)) {
      lastTopicBytes = Arrays.copyOfRange(b, from, to);
      lastTopic = new String(lastTopicBytes, StandardCharsets.ISO_8859_1);
    }
    return lastTopic;
  }
}
