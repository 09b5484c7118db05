package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundFramesTest {
  private final List<Frame> frames = new ArrayList<>();
  private final List<FrameException> errors = new ArrayList<>();
  private final InboundFrames inbound = new InboundFrames(1024, new InboundFrames.Listener() {
    @Override
    public void onFrame(Frame frame) {
      frames.add(frame);
    }

    @Override
    public void onInvalidFrame(FrameException error) {
      errors.add(error);
    }
  });

  private static List<Frame> samples() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("trace", "t-1");
    return List.of(
        Frame.Ok.INSTANCE,
        new Frame.Ok(42L, true),
        new Frame.Message(1, "hello"),
        new Frame.Message(123456789012L, ""),
        new Frame.Message(7, "with \"quotes\" and \\ and \n"),
        new Frame.Message(8, "non-ASCII: é €"),
        new Frame.Message(9, "x".repeat(300), new Frame.MessageDetails("orders", 2, 1763780000000L, null, null, null)),
        new Frame.Message(10, "k", new Frame.MessageDetails("orders", 1, 1L, "key-1", headers, null)),
        new Frame.Message(11, "aGk=", new Frame.MessageDetails("orders", 1, 1L, null, null, Frame.Encoding.BASE64)),
        new Frame.Error("nope", ErrorCode.UNKNOWN_MESSAGE));
  }

  @Test
  void readsEveryFrameAsTheFullDecoderDoesWhetherFastOrNot() throws Exception {
    Buffer all = Buffer.buffer();
    List<Frame> expected = new ArrayList<>();
    for (Frame f : samples()) {
      Buffer encoded = FrameCodec.encode(f);
      all.appendBuffer(encoded);
      expected.add(FrameCodec.decode(encoded.getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, encoded.length())));
    }
    inbound.feed(all);
    assertEquals(expected, frames);
    assertEquals(List.of(), errors);
  }

  @Test
  void holdsAFrameSplitAcrossReadsUntilItIsWhole() {
    Buffer all = Buffer.buffer();
    for (Frame f : samples()) {
      all.appendBuffer(FrameCodec.encode(f));
    }
    for (int i = 0; i < all.length() - 1; i++) {
      inbound.feed(all.getBuffer(i, i + 1));
    }
    assertEquals(samples().size() - 1, frames.size());
    assertTrue(inbound.partialBytes() > 0, "the last frame's bytes but one are held");
    inbound.feed(all.getBuffer(all.length() - 1, all.length()));
    assertEquals(samples().size(), frames.size());
    assertEquals(0, inbound.partialBytes());
  }

  @Test
  void takesTheFastPathForAPlainOkAndAPlainMessageOnly() {
    assertSame(Frame.Ok.INSTANCE, fast(Frame.Ok.INSTANCE));
    assertEquals(new Frame.Message(3, "plain"), fast(new Frame.Message(3, "plain")));
    assertNotNull(fast(new Frame.Message(3, "p", new Frame.MessageDetails("t", 1, 5L, null, null, null))));
    assertNull(fast(new Frame.Message(3, "a\"b")), "an escape goes to the full decoder");
    assertNull(fast(new Frame.Message(3, "p", new Frame.MessageDetails("t", 1, 5L, "key", null, null))));
    assertNull(fast(new Frame.Ok(1L, false)));
  }

  @Test
  void refusesAnEmptyOrOversizedFrameAndReadsNothingAfter() {
    inbound.feed(Buffer.buffer().appendInt(0).appendBuffer(FrameCodec.encode(Frame.Ok.INSTANCE)));
    assertEquals(ErrorCode.EMPTY_FRAME, errors.get(0).code());
    assertEquals(List.of(), frames);

    List<FrameException> big = new ArrayList<>();
    new InboundFrames(10, new InboundFrames.Listener() {
      @Override
      public void onFrame(Frame frame) {
      }

      @Override
      public void onInvalidFrame(FrameException error) {
        big.add(error);
      }
    }).feed(Buffer.buffer().appendInt(11));
    assertEquals(ErrorCode.FRAME_TOO_LARGE, big.get(0).code());
  }

  @Test
  void refusesBytesThatAreNotJson() {
    inbound.feed(Buffer.buffer().appendInt(3).appendString("{no"));
    assertEquals(1, errors.size());
    assertEquals(List.of(), frames);
  }

  private static Frame fast(Frame f) {
    byte[] bytes = FrameCodec.encode(f).getBytes();
    return InboundFrames.fast(bytes, FrameCodec.LENGTH_PREFIX_BYTES, bytes.length);
  }
}
