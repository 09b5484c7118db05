package dev.courier.protocol;

import static dev.courier.protocol.PlainBytes.ascii;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes the two frames the broker sends almost only, {@code message} and {@code ok}, straight
 * into a connection's outbound bytes, byte for byte what {@link FrameCodec.Writer} writes; a frame
 * with anything this does not write (headers, an escape, a surrogate) is declined and goes to
 * Jackson. Profiled at 20,000 msg/s, a Jackson generator per event-loop turn, with its 16 KiB of
 * buffers, was the largest single share of the broker's allocation (docs/FOOTPRINT.md, "hotpath").
 *
 * <pre>
 *  u32 length | {"type":"message","id":7,"payload":"hello"}
 *  u32 length | {"type":"message","id":7,"payload":"hello","topic":"t","attempt":1,"timestamp":1700000000000[,"key":"k"][,"encoding":"base64"][,"active":true]}
 *  u32 length | {"type":"ok"[,"id":7][,"duplicate":true]}
 * </pre>
 *
 * Text is written as Jackson writes it when nothing in it needs an escape: printable ASCII and
 * any other character of the Basic Multilingual Plane as its UTF-8 bytes. Jackson escapes each half
 * of a surrogate pair ({@code \ud83d\ude00}) rather than writing four UTF-8 bytes, so a string with
 * one is declined, as is one with a quote, a backslash or a control character.
 */
final class PlainOutbound {
  private static final byte[] MESSAGE_ID = ascii("{\"type\":\"message\",\"id\":");
  private static final byte[] PAYLOAD = ascii(",\"payload\":\"");
  private static final byte[] TOPIC = ascii("\",\"topic\":\"");
  private static final byte[] ATTEMPT = ascii("\",\"attempt\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  private static final byte[] KEY = ascii(",\"key\":\"");
  private static final byte[] BASE64 = ascii(",\"encoding\":\"base64\"");
  private static final byte[] ACTIVE_TRUE = ascii(",\"active\":true");
  private static final byte[] ACTIVE_FALSE = ascii(",\"active\":false");
  private static final byte[] OK = ascii("{\"type\":\"ok\"");
  private static final byte[] ID = ascii(",\"id\":");
  private static final byte[] DUPLICATE = ascii(",\"duplicate\":true");

  /** Text needs an escape or a surrogate pair: not written here. */
  private static final int DECLINED = -1;
  /** Text is plain ASCII: one byte a character. */
  private static final int ASCII = 0;
  /** Text is plain but not all ASCII: UTF-8. */
  private static final int UTF8 = 1;

  private PlainOutbound() {}

  /**
   * Appends {@code frame}, length prefix included, to {@code out} and returns true; or returns
   * false, having written nothing, when it is not a frame this writes.
   */
  static boolean write(ByteBuf out, Frame frame) {
    if (frame instanceof Frame.Message m) {
      return message(out, m);
    }
    if (frame instanceof Frame.Ok ok) {
      return ok(out, ok);
    }
    return false;
  }

  /**
   * About the bytes {@code frame} takes when written plainly (exact for ASCII text, the fields
   * written every time counted generously): a hint for sizing a buffer, never a limit.
   */
  static int sizeHint(Frame frame) {
    int fixed = 128;
    if (frame instanceof Frame.Message m) {
      Frame.MessageDetails d = m.details();
      int text = m.payload() == null ? 0 : m.payload().length();
      if (d != null) {
        text += (d.topic() == null ? 0 : d.topic().length()) + (d.key() == null ? 0 : d.key().length());
      }
      return fixed + text;
    }
    return fixed;
  }

  private static boolean message(ByteBuf out, Frame.Message m) {
    Frame.MessageDetails d = m.details();
    int payloadKind = kind(m.payload());
    if (m.id() < 0 || payloadKind == DECLINED) {
      return false;
    }
    int topicKind = ASCII;
    int keyKind = ASCII;
    if (d != null) {
      if (d.headers() != null && !d.headers().isEmpty() || d.topic() == null || d.attempt() < 0
          || d.timestampMillis() < 0) {
        return false;
      }
      topicKind = kind(d.topic());
      keyKind = d.key() == null ? ASCII : kind(d.key());
      if (topicKind == DECLINED || keyKind == DECLINED) {
        return false;
      }
    }
    int start = out.writerIndex();
    out.writeInt(0);
    out.writeBytes(MESSAGE_ID);
    writeLong(out, m.id());
    out.writeBytes(PAYLOAD);
    text(out, m.payload(), payloadKind);
    if (d == null) {
      out.writeByte('"');
    } else {
      out.writeBytes(TOPIC);
      text(out, d.topic(), topicKind);
      out.writeBytes(ATTEMPT);
      writeLong(out, d.attempt());
      out.writeBytes(TIMESTAMP);
      writeLong(out, d.timestampMillis());
      if (d.key() != null) {
        out.writeBytes(KEY);
        text(out, d.key(), keyKind);
        out.writeByte('"');
      }
      if (d.encoding() == Frame.Encoding.BASE64) {
        out.writeBytes(BASE64);
      }
      if (d.active() != null) {
        out.writeBytes(d.active() ? ACTIVE_TRUE : ACTIVE_FALSE);
      }
    }
    out.writeByte('}');
    out.setInt(start, out.writerIndex() - start - FrameCodec.LENGTH_PREFIX_BYTES);
    return true;
  }

  private static boolean ok(ByteBuf out, Frame.Ok ok) {
    if (ok.id() != null && ok.id() < 0) {
      return false;
    }
    int start = out.writerIndex();
    out.writeInt(0);
    out.writeBytes(OK);
    if (ok.id() != null) {
      out.writeBytes(ID);
      writeLong(out, ok.id());
    }
    if (ok.duplicate()) {
      out.writeBytes(DUPLICATE);
    }
    out.writeByte('}');
    out.setInt(start, out.writerIndex() - start - FrameCodec.LENGTH_PREFIX_BYTES);
    return true;
  }

  /** Whether {@code text} is written as is, and how; a null text (mistyped frame) is declined. */
  private static int kind(String text) {
    if (text == null) {
      return DECLINED;
    }
    int kind = ASCII;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        return DECLINED;
      }
      if (c > 0x7f) {
        kind = UTF8;
      }
    }
    return kind;
  }

  private static void text(ByteBuf out, String text, int kind) {
    if (kind == ASCII) {
      ByteBufUtil.writeAscii(out, text);
    } else {
      ByteBufUtil.writeUtf8(out, text);
    }
  }

  /** Decimal digits of a non-negative number, as Jackson's writeNumber(long) writes them. */
  private static void writeLong(ByteBuf out, long value) {
    long divisor = 1;
    while (divisor <= value / 10) {
      divisor *= 10;
    }
    for (; divisor > 0; divisor /= 10) {
      out.writeByte((int) ('0' + value / divisor % 10));
    }
  }
}
