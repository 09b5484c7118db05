package dev.courier.client;

import dev.courier.protocol.Frame;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the two frames a busy client sends almost only, a publish with nothing but a payload
 * (and a topic) and an ack, straight into bytes, byte for byte what {@link
 * dev.courier.protocol.FrameCodec} writes; null for anything else, or for text that needs an escape,
 * which then goes through Jackson. Profiled in the bench, Jackson's generator was a fifth of the
 * client's CPU per message (docs/CLIENT.md, "Performance").
 */
final class PlainFrames {
  private static final byte[] PUBLISH = ascii("{\"type\":\"publish\",\"payload\":\"");
  private static final byte[] TOPIC = ascii("\",\"topic\":\"");
  private static final byte[] ACK = ascii("{\"type\":\"ack\",\"id\":");

  private PlainFrames() {
  }

  /** The whole frame, length prefix included, or null when it is not a plain publish or ack. */
  static Buffer encode(Frame frame) {
    if (frame instanceof Frame.Publish p) {
      return publish(p);
    }
    if (frame instanceof Frame.Ack a && a.id() >= 0) {
      return ack(a.id());
    }
    return null;
  }

  private static Buffer publish(Frame.Publish p) {
    if (p.key() != null || p.headers() != null || p.encoding() != null || p.delayMs() != null
        || p.deliverAt() != null || p.ttlMs() != null || p.dedupId() != null || p.payload() == null) {
      return null;
    }
    String payload = p.payload();
    String topic = p.topic();
    int length = PUBLISH.length + payload.length() + (topic == null ? 0 : TOPIC.length + topic.length()) + 2;
    byte[] out = new byte[4 + length];
    writeInt(out, length);
    int at = put(out, 4, PUBLISH);
    at = plain(out, at, payload);
    if (at < 0) {
      return null;
    }
    if (topic != null) {
      at = plain(out, put(out, at, TOPIC), topic);
      if (at < 0) {
        return null;
      }
    }
    out[at] = '"';
    out[at + 1] = '}';
    return wrap(out);
  }

  private static Buffer ack(long id) {
    int idDigits = 1;
    for (long rest = id / 10; rest > 0; rest /= 10) {
      idDigits++;
    }
    int length = ACK.length + idDigits + 1;
    byte[] out = new byte[4 + length];
    writeInt(out, length);
    int at = put(out, 4, ACK);
    long rest = id;
    for (int i = at + idDigits - 1; i >= at; i--) {
      out[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    out[at + idDigits] = '}';
    return wrap(out);
  }

  /** The bytes as a buffer without a second copy: {@code Buffer.buffer(byte[])} copies them. */
  private static Buffer wrap(byte[] out) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(out));
  }

  /** Copies {@code text} when it is printable ASCII that JSON writes as is; -1 otherwise. */
  private static int plain(byte[] out, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return -1;
      }
      out[at + i] = (byte) c;
    }
    return at + text.length();
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static void writeInt(byte[] out, int v) {
    out[0] = (byte) (v >>> 24);
    out[1] = (byte) (v >>> 16);
    out[2] = (byte) (v >>> 8);
    out[3] = (byte) v;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
