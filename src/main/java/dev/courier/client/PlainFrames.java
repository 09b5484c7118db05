package dev.courier.client;

import static dev.courier.protocol.PlainBytes.ascii;

import dev.courier.protocol.Frame;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Encodes the two frames a busy client sends almost only, a publish with nothing but a payload
 * (and a topic) and an ack, straight into bytes, byte for byte what {@link
 * dev.courier.protocol.FrameCodec} writes; anything else, or text that needs an escape, is left to
 * Jackson. Profiled in the bench, Jackson's generator was a fifth of the client's CPU per message
 * (docs/CLIENT.md, "Performance").
 */
final class PlainFrames {
  private static final byte[] PUBLISH = ascii("{\"type\":\"publish\",\"payload\":\"");
  private static final byte[] TOPIC = ascii("\",\"topic\":\"");
  private static final byte[] ACK = ascii("{\"type\":\"ack\",\"id\":");
  /** The longest ack: the digits of the largest positive long. */
  private static final int MAX_ACK_BYTES = 4 + ACK.length + 19 + 1;

  private PlainFrames() {
  }

  /**
   * The most bytes {@link #writeInto} may write for {@code frame} (with its length prefix), or -1
   * when it is not a candidate for the plain path at all.
   */
  static int maxBytes(Frame frame) {
    if (frame instanceof Frame.Publish p) {
      if (p.key() != null || p.headers() != null || p.encoding() != null || p.delayMs() != null
          || p.deliverAt() != null || p.ttlMs() != null || p.dedupId() != null || p.payload() == null) {
        return -1;
      }
      // A plain character is one byte: the bound is exact for a frame that is written.
      return 4 + PUBLISH.length + p.payload().length() + (p.topic() == null ? 0 : TOPIC.length + p.topic().length())
          + 2;
    }
    return frame instanceof Frame.Ack a && a.id() >= 0 ? MAX_ACK_BYTES : -1;
  }

  /**
   * Writes {@code frame} (a candidate by {@link #maxBytes}, with that much room) at {@code at};
   * returns the index after it, or -1 when its text needs an escape (the bytes past {@code at} are
   * then garbage).
   */
  static int writeInto(Frame frame, byte[] out, int at) {
    if (frame instanceof Frame.Ack a) {
      return ack(a.id(), out, at);
    }
    Frame.Publish p = (Frame.Publish) frame;
    int end = plain(out, put(out, at + 4, PUBLISH), p.payload());
    if (end >= 0 && p.topic() != null) {
      end = plain(out, put(out, end, TOPIC), p.topic());
    }
    if (end < 0) {
      return -1;
    }
    out[end] = '"';
    out[end + 1] = '}';
    writeInt(out, at, end + 2 - at - 4);
    return end + 2;
  }

  /** The whole frame, length prefix included, or null when it is not a plain publish or ack. */
  static Buffer encode(Frame frame) {
    int max = maxBytes(frame);
    if (max < 0) {
      return null;
    }
    byte[] out = new byte[max];
    int end = writeInto(frame, out, 0);
    return end < 0 ? null : wrap(out, end);
  }

  /** {@code out[0, length)} as a buffer without a second copy: {@code Buffer.buffer(byte[])} copies. */
  static Buffer wrap(byte[] out, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(out, 0, length));
  }

  private static int ack(long id, byte[] out, int at) {
    int idDigits = 1;
    for (long rest = id / 10; rest > 0; rest /= 10) {
      idDigits++;
    }
    int p = put(out, at + 4, ACK);
    long rest = id;
    for (int i = p + idDigits - 1; i >= p; i--) {
      out[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    out[p + idDigits] = '}';
    writeInt(out, at, ACK.length + idDigits + 1);
    return p + idDigits + 1;
  }

  /** Copies {@code text} when it is printable ASCII that JSON writes as is; -1 otherwise. */
  private static int plain(byte[] out, int at, String text) {
    if (at < 0) {
      return -1;
    }
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

  private static void writeInt(byte[] out, int at, int v) {
    out[at] = (byte) (v >>> 24);
    out[at + 1] = (byte) (v >>> 16);
    out[at + 2] = (byte) (v >>> 8);
    out[at + 3] = (byte) v;
  }
}
