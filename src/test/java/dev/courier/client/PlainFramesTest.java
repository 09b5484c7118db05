package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainFramesTest {
  @Test
  void writesAPlainPublishAndAnAckByteForByteAsTheCodecDoes() {
    List<Frame> plain = List.of(new Frame.Publish("hello"), new Frame.Publish(""),
        new Frame.Publish("x".repeat(5000), "orders", null, null, null, null, null, null, null),
        new Frame.Ack(1), new Frame.Ack(0), new Frame.Ack(Long.MAX_VALUE));
    for (Frame f : plain) {
      Buffer fast = PlainFrames.encode(f);
      assertNotNull(fast, f.toString());
      assertEquals(FrameCodec.encode(f), fast, f.toString());
    }
  }

  @Test
  void leavesEveryOtherFrameToTheCodec() {
    List<Frame> others = List.of(new Frame.Publish("needs \"escapes\""), new Frame.Publish("é"),
        new Frame.Publish("line\n"), new Frame.Publish("del\u007f"),
        new Frame.Publish("p", "t", "key", null, null, null, null, null, null),
        new Frame.Publish("p", "t", null, Map.of("h", "v"), null, null, null, null, null),
        new Frame.Publish("p", "t", null, null, null, null, null, 10L, null),
        new Frame.Publish("p", "t", null, null, null, null, null, null, "d-1"),
        new Frame.Ack(-1), new Frame.Nack(3, null), new Frame.Credit(5));
    for (Frame f : others) {
      assertNull(PlainFrames.encode(f), f.toString());
    }
  }
}
