package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FrameCodec.Writer}: one reused generator must write exactly what {@link FrameCodec#encode} does. */
class FrameWriterTest {

  @Test
  void writesTheSameBytesAsEncodeForRandomFramesOfEveryTypeOneAfterAnother() {
    FrameCodec.Writer writer = new FrameCodec.Writer();
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 2_000; i++) {
      Frame frame = FrameGenerators.frame(random);
      Buffer out = Buffer.buffer();
      writer.write(out, frame);
      assertEquals(FrameCodec.encode(frame), out, "frame " + i + ": " + frame);
    }
  }

  @Test
  void appendsBehindWhatTheBufferHoldsAndPrefixesEachFrameWithItsOwnLength() throws Exception {
    FrameCodec.Writer writer = new FrameCodec.Writer();
    Buffer out = Buffer.buffer("kept");
    List<Frame> frames = List.of(new Frame.Message(1, "héllo"), Frame.Ok.INSTANCE,
        new Frame.Error("no such message", ErrorCode.UNKNOWN_MESSAGE), new Frame.Ack(7));
    frames.forEach(frame -> writer.write(out, frame));

    assertEquals("kept", out.getString(0, 4));
    List<Frame> read = new ArrayList<>();
    int at = 4;
    while (at < out.length()) {
      int length = out.getInt(at);
      read.add(FrameCodec.decode(out.slice(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    assertEquals(out.length(), at, "no separator or trailing bytes between frames");
    assertEquals(frames, read);
  }

  @Test
  void writesTheSeedsExactBytesForAMessageAndOk() {
    FrameCodec.Writer writer = new FrameCodec.Writer();
    Buffer out = Buffer.buffer();
    writer.write(out, new Frame.Message(42, "hi"));
    writer.write(out, Frame.Ok.INSTANCE);
    String message = "{\"type\":\"message\",\"id\":42,\"payload\":\"hi\"}";
    String ok = "{\"type\":\"ok\"}";
    Buffer expected = Buffer.buffer().appendInt(message.length()).appendString(message)
        .appendInt(ok.length()).appendString(ok);
    assertEquals(expected, out);
  }

  @Test
  void keepsHeadersInTheOrderTheyWereGiven() {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 19; i >= 0; i--) {
      headers.put("h" + i, "v" + i);
    }
    Frame.Message frame = new Frame.Message(1, "p", new Frame.MessageDetails("t", 1, 5, null, headers, null));
    Buffer out = Buffer.buffer();
    new FrameCodec.Writer().write(out, frame);
    String body = out.getString(4, out.length());
    int last = -1;
    for (String name : headers.keySet()) {
      int at = body.indexOf("\"" + name + "\"");
      assertEquals(true, at > last, name + " out of order in " + body);
      last = at;
    }
  }
}
