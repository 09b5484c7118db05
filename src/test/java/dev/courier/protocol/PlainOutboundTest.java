package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.fuzz.Bytes;
import dev.courier.fuzz.Fuzz;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link PlainOutbound} writes exactly what Jackson writes for a frame, or declines it and writes nothing. */
class PlainOutboundTest {
  private static final byte[] KEPT = "kept".getBytes(StandardCharsets.US_ASCII);

  @Test
  void writesTheBytesJacksonWritesOrDeclinesForGeneratedMessagesAndOks() {
    AtomicInteger written = new AtomicInteger();
    AtomicInteger declined = new AtomicInteger();
    Fuzz.forAll("plain outbound = Jackson", 4000, PlainOutboundTest::frame, frame -> {
      ByteBuf out = Unpooled.buffer(8).writeBytes(KEPT);
      if (PlainOutbound.write(out, frame)) {
        written.incrementAndGet();
        Buffer expected = Buffer.buffer(KEPT).appendBuffer(FrameCodec.encode(frame));
        assertEquals(expected.toString(StandardCharsets.ISO_8859_1), out.toString(StandardCharsets.ISO_8859_1),
            "bytes of " + frame);
      } else {
        declined.incrementAndGet();
        assertEquals(KEPT.length, out.writerIndex(), "a declined frame writes nothing");
      }
    });
    // Both sides of the property were exercised: the generator makes plain and unusual frames.
    assertTrue(written.get() > 0, "no frame was written plainly");
    assertTrue(declined.get() > 0, "no frame was declined");
  }

  @Test
  void writesTheSeedsExactMessageAndOk() {
    ByteBuf out = Unpooled.buffer();
    assertTrue(PlainOutbound.write(out, new Frame.Message(42, "hi")));
    assertTrue(PlainOutbound.write(out, Frame.Ok.INSTANCE));
    String message = "{\"type\":\"message\",\"id\":42,\"payload\":\"hi\"}";
    String ok = "{\"type\":\"ok\"}";
    Buffer expected = Buffer.buffer().appendInt(message.length()).appendString(message)
        .appendInt(ok.length()).appendString(ok);
    assertEquals(expected.toString(StandardCharsets.ISO_8859_1), out.toString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void declinesTextThatNeedsAnEscapeOrASurrogatePairAndHeadersAndEveryOtherFrame() {
    for (String payload : new String[] {"a\"b", "a\\b", "line\n", "\u0000", "smile \ud83d\ude00"}) {
      assertFalse(PlainOutbound.write(Unpooled.buffer(), new Frame.Message(1, payload)), payload);
    }
    Frame.MessageDetails withHeaders = new Frame.MessageDetails("t", 1, 2, null, Map.of("h", "v"), null);
    assertFalse(PlainOutbound.write(Unpooled.buffer(), new Frame.Message(1, "p", withHeaders)));
    assertFalse(PlainOutbound.write(Unpooled.buffer(), new Frame.Ack(1)));
    assertFalse(PlainOutbound.write(Unpooled.buffer(), new Frame.Error("no", ErrorCode.BAD_JSON)));
  }

  @Test
  void writesNonAsciiTextOfTheBasicPlaneAsItsUtf8Bytes() {
    ByteBuf out = Unpooled.buffer();
    Frame.Message frame = new Frame.Message(7, "h\u00e9llo \u20ac \u2028 \uffff \u007f",
        new Frame.MessageDetails("t", 3, 1_700_000_000_000L, "cl\u00e9", null, null, Boolean.FALSE));
    assertTrue(PlainOutbound.write(out, frame));
    Buffer expected = FrameCodec.encode(frame);
    assertEquals(expected.toString(StandardCharsets.ISO_8859_1), out.toString(StandardCharsets.ISO_8859_1));
  }

  private static Frame frame(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> r.nextBoolean() ? Frame.Ok.INSTANCE
          : new Frame.Ok(r.nextInt(3) == 0 ? r.nextLong() : r.nextLong(1_000_000), r.nextBoolean());
      case 1 -> new Frame.Message(id(r), text(r, 120));
      case 2 -> new Frame.Message(id(r), text(r, 120), new Frame.MessageDetails(text(r, 12), r.nextInt(3) == 0
          ? r.nextInt() : 1 + r.nextInt(5), r.nextInt(5) == 0 ? r.nextLong() : 1_700_000_000_000L + r.nextInt(),
          r.nextBoolean() ? null : text(r, 20), r.nextInt(4) == 0 ? Map.of(text(r, 5), text(r, 5)) : null,
          r.nextBoolean() ? Frame.Encoding.BASE64 : null, r.nextBoolean() ? null : r.nextBoolean()));
      default -> FrameGenerators.frame(r);
    };
  }

  /** Mostly the ids a broker assigns; now and then one past Long.MAX_VALUE, written unsigned. */
  private static long id(SplittableRandom r) {
    return switch (r.nextInt(6)) {
      case 0 -> r.nextLong();
      case 1 -> r.nextInt(10);
      default -> r.nextLong(Long.MAX_VALUE);
    };
  }

  /** Plain ASCII, plain text of the Basic Multilingual Plane, or anything at all. */
  private static String text(SplittableRandom r, int maxChars) {
    int mode = r.nextInt(3);
    if (mode == 2) {
      return Bytes.text(r, maxChars);
    }
    StringBuilder text = new StringBuilder();
    for (int i = r.nextInt(maxChars + 1); i > 0; i--) {
      char c = mode == 0 || r.nextBoolean() ? (char) (0x20 + r.nextInt(0x60)) : (char) (0x80 + r.nextInt(0xff80));
      text.append(Character.isSurrogate(c) ? '\u00e9' : c);
    }
    return text.toString();
  }
}
