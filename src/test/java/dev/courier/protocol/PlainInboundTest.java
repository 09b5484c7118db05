package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.fuzz.Bytes;
import dev.courier.fuzz.Fuzz;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainInbound} against {@link FrameCodec}: on any body it reads the frame FrameCodec reads,
 * or declines; it never accepts what FrameCodec refuses. And the decoder that uses it delivers the
 * same frames, in order, when its owner pauses it between two frames of one read.
 */
class PlainInboundTest {
  private static final int MAX_FRAME_BYTES = 4096;

  @Test
  void readsTheFrameFrameCodecReadsOrDeclinesOnGeneratedAndMutatedBodies() {
    AtomicInteger read = new AtomicInteger();
    AtomicInteger declined = new AtomicInteger();
    PlainInbound plain = new PlainInbound();
    Fuzz.forAll("plain inbound = FrameCodec", 6000, PlainInboundTest::body, body -> {
      Frame fast = plain.read(body, 0, body.length);
      if (fast == null) {
        declined.incrementAndGet();
        return;
      }
      read.incrementAndGet();
      // Whatever the fast path reads, the full decoder reads as the same frame, without an error.
      assertEquals(FrameCodec.decode(Buffer.buffer(body), FrameCodec.Accept.FROM_CLIENTS), fast,
          new String(body, StandardCharsets.UTF_8));
    });
    assertTrue(read.get() > 0, "no body was read by the fast path");
    assertTrue(declined.get() > 0, "no body was declined");
  }

  @Test
  void readsThePlainPublishesAndAcksTheClientsWrite() throws FrameException {
    PlainInbound plain = new PlainInbound();
    for (Frame frame : List.of(new Frame.Publish("hello"), new Frame.Publish("x", "orders.eu", null, null, null),
        new Frame.Publish(""), new Frame.Ack(0), new Frame.Ack(123_456_789_012_345_678L))) {
      byte[] body = body(frame);
      assertEquals(frame, plain.read(body, 0, body.length), frame.toString());
      assertEquals(FrameCodec.decode(Buffer.buffer(body), FrameCodec.Accept.FROM_CLIENTS), frame);
    }
  }

  @Test
  void declinesEveryDeviationFromThePlainShapes() {
    PlainInbound plain = new PlainInbound();
    for (String json : List.of(
        "{\"type\":\"publish\",\"payload\":\"a\\nb\"}",
        "{\"type\":\"publish\",\"payload\":\"h\u00e9\"}",
        "{\"type\":\"publish\", \"payload\":\"a\"}",
        "{\"type\":\"publish\",\"payload\":\"a\",\"payload\":\"b\"}",
        "{\"type\":\"publish\",\"payload\":\"a\",\"key\":\"k\"}",
        "{\"type\":\"publish\",\"payload\":\"a\",\"topic\":\".hidden\"}",
        "{\"type\":\"publish\",\"payload\":\"a\",\"topic\":\"t\",\"dedup_id\":\"d\"}",
        "{\"type\":\"publish\",\"payload\":\"a\"} ",
        "{\"type\":\"ack\",\"id\":007}",
        "{\"type\":\"ack\",\"id\":-1}",
        "{\"type\":\"ack\",\"id\":18446744073709551615}",
        "{\"type\":\"ack\",\"id\":1.0}",
        "{\"type\":\"ack\",\"id\":1,\"id\":2}")) {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      assertNull(plain.read(body, 0, body.length), json);
    }
  }

  @Test
  void aDecoderPausedBetweenTwoFramesOfOneReadDeliversTheRestOnlyAfterResumeInOrder() {
    List<Frame> received = new ArrayList<>();
    FrameDecoder[] decoder = new FrameDecoder[1];
    decoder[0] = FrameDecoder.detached(MAX_FRAME_BYTES, new FrameDecoder.Listener() {
      @Override
      public void onFrame(Frame frame) {
        received.add(frame);
        if (received.size() == 1) {
          decoder[0].pause(); // as a connection whose storage fell behind does
        }
      }

      @Override
      public void onInvalidFrame(FrameException error) {
        throw new AssertionError(error);
      }

      @Override
      public void onTruncated(int got, int expected) {
        throw new AssertionError("truncated");
      }
    });
    List<Frame> frames = List.of(new Frame.Publish("one"), new Frame.Publish("tw\"o"), new Frame.Ack(3),
        new Frame.Publish("four"));
    Buffer read = Buffer.buffer();
    frames.forEach(frame -> read.appendBuffer(FrameCodec.encode(frame)));
    Buffer whole = read.getBuffer(0, read.length() - 3);
    decoder[0].feed(whole);
    assertEquals(frames.subList(0, 1), received);

    decoder[0].feed(read.getBuffer(read.length() - 3, read.length()));
    assertEquals(frames.subList(0, 1), received, "nothing more while paused");
    decoder[0].resume();
    assertEquals(frames, received);
  }

  private static byte[] body(Frame frame) {
    Buffer encoded = FrameCodec.encode(frame);
    return encoded.getBytes(FrameCodec.LENGTH_PREFIX_BYTES, encoded.length());
  }

  /** Plain-shaped bodies and near misses, encoded client frames, random objects, and mutations of all. */
  private static byte[] body(SplittableRandom r) {
    byte[] body = switch (r.nextInt(5)) {
      case 0, 1 -> plainShape(r).getBytes(StandardCharsets.UTF_8);
      case 2 -> body(FrameGenerators.clientFrame(r));
      case 3 -> FrameGenerators.jsonObject(r).getBytes(StandardCharsets.UTF_8);
      default -> Bytes.random(r, 64);
    };
    return r.nextInt(3) == 0 ? Bytes.mutate(r, body) : body;
  }

  private static String plainShape(SplittableRandom r) {
    if (r.nextBoolean()) {
      String id = switch (r.nextInt(5)) {
        case 0 -> FrameGenerators.hugeInteger(r);
        case 1 -> "0" + r.nextInt(100);
        case 2 -> Long.toString(r.nextLong());
        default -> Long.toString(r.nextLong(Long.MAX_VALUE));
      };
      return "{\"type\":\"ack\",\"id\":" + id + "}";
    }
    String payload = r.nextBoolean() ? ascii(r, 100) : Bytes.text(r, 40);
    String json = "{\"type\":\"publish\",\"payload\":\"" + payload + "\"";
    if (r.nextBoolean()) {
      json += ",\"topic\":\"" + (r.nextInt(4) == 0 ? Bytes.text(r, 10) : FrameGenerators.name(r)) + "\"";
    }
    return json + "}";
  }

  /** Printable ASCII, quotes and backslashes included: raw, so some are escapes and some break the string. */
  private static String ascii(SplittableRandom r, int maxChars) {
    StringBuilder text = new StringBuilder();
    for (int i = r.nextInt(maxChars + 1); i > 0; i--) {
      text.append((char) (0x20 + r.nextInt(0x5f)));
    }
    return text.toString();
  }
}
