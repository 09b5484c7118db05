package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.fuzz.Bytes;
import dev.courier.fuzz.Fuzz;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-based fuzzing of the frame decoder and codec (see {@link Fuzz}): whatever bytes arrive,
 * in whatever chunks, the only failures are {@link FrameException}s with a code documented in
 * docs/PROTOCOL.md, nothing hangs, and nothing beyond {@code max_frame_bytes} is ever reserved.
 */
class FrameFuzzTest {
  /** Small, so that generated and mutated frames often cross it. */
  private static final int MAX_FRAME_BYTES = 2048;
  /** What decoding a body can say; the other codes are about connection state, not bytes. */
  private static final Set<ErrorCode> DECODING_CODES = EnumSet.of(ErrorCode.EMPTY_FRAME, ErrorCode.FRAME_TOO_LARGE,
      ErrorCode.BAD_JSON, ErrorCode.UNKNOWN_TYPE, ErrorCode.BAD_REQUEST, ErrorCode.BAD_ROLE, ErrorCode.INVALID_NAME);

  @Test
  void everyCodeDecodingMayReportIsDocumentedInTheProtocol() throws IOException {
    String protocol = Files.readString(Path.of("docs/PROTOCOL.md"));
    for (ErrorCode code : DECODING_CODES) {
      assertTrue(protocol.contains("| `" + code.wireName() + "` |"), code + " has no row in docs/PROTOCOL.md");
    }
  }

  @Test
  void aValidFrameEncodedAndDecodedIsTheSameFrame() {
    Fuzz.forAll("round trip", 2000, FrameGenerators::frame, frame -> {
      Buffer encoded = FrameCodec.encode(frame);
      assertEquals(encoded.length() - FrameCodec.LENGTH_PREFIX_BYTES, encoded.getInt(0), "length prefix");
      Buffer body = encoded.getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, encoded.length());
      assertEquals(frame, FrameCodec.decode(body, FrameCodec.Accept.ANY));
      assertEquals(body, FrameCodec.encode(FrameCodec.decode(body)).getBuffer(4, encoded.length()), "re-encoded");
    });
  }

  @Test
  void validClientFramesFedInRandomChunksComeOutWholeAndInOrder() {
    Fuzz.forAll("valid stream in chunks", 1000, r -> {
      List<Frame> frames = new ArrayList<>();
      for (int i = 1 + r.nextInt(5); i > 0; i--) {
        Frame frame = FrameGenerators.clientFrame(r);
        if (FrameCodec.encode(frame).length() - 4 <= MAX_FRAME_BYTES) {
          frames.add(frame);
        }
      }
      return new Stream(frames, Bytes.chunks(r, encodeAll(frames)));
    }, stream -> {
      Decoding decoding = new Decoding();
      decoding.feed(stream.chunks());
      assertEquals(stream.frames(), decoding.listener.frames);
      assertEquals(List.of(), decoding.listener.errors);
      assertFalse(decoding.listener.truncated);
    });
  }

  @Test
  void mutatedStreamsFedInRandomChunksReportOnlyDocumentedErrorsAndReserveAtMostTheLimit() {
    Fuzz.forAll("mutated stream in chunks", 3000, r -> {
      List<Frame> frames = new ArrayList<>();
      for (int i = 1 + r.nextInt(3); i > 0; i--) {
        frames.add(r.nextInt(4) == 0 ? FrameGenerators.frame(r) : FrameGenerators.clientFrame(r));
      }
      byte[] stream = Bytes.mutate(r, encodeAll(frames));
      if (r.nextInt(3) == 0) {
        stream = withLength(stream, r); // lengths changed: the prefix the decoder trusts most
      }
      return Bytes.chunks(r, stream);
    }, chunks -> new Decoding().feed(chunks));
  }

  @Test
  void mutatedStreamsOnAClientsSideReportOnlyDocumentedErrors() {
    Fuzz.forAll("mutated stream, client's side", 2000, r -> {
      List<Frame> frames = new ArrayList<>();
      for (int i = 1 + r.nextInt(3); i > 0; i--) {
        frames.add(FrameGenerators.frame(r));
      }
      return Bytes.chunks(r, Bytes.mutate(r, encodeAll(frames)));
    }, chunks -> new Decoding(FrameCodec.Accept.ANY).feed(chunks));
  }

  @Test
  void randomBytesReportOnlyDocumentedErrors() {
    Fuzz.forAll("random bytes", 2000, r -> {
      byte[] bytes = Bytes.random(r, 600);
      return Bytes.chunks(r, r.nextBoolean() ? bytes : withLength(bytes, r));
    }, chunks -> new Decoding().feed(chunks));
  }

  @Test
  void aLengthAboveTheLimitIsRefusedFromThePrefixAloneWithNothingReserved() {
    Fuzz.forAll("length above the limit", 1000, r -> {
      long length = MAX_FRAME_BYTES + 1 + r.nextLong(0xffff_ffffL - MAX_FRAME_BYTES);
      byte[] prefix = ByteBuffer.allocate(4).putInt((int) length).array();
      return Bytes.chunks(r, Bytes.splice(prefix, 4, 0, Bytes.random(r, 4 * MAX_FRAME_BYTES)));
    }, chunks -> {
      Decoding decoding = new Decoding();
      decoding.feed(chunks);
      assertEquals(List.of(ErrorCode.FRAME_TOO_LARGE), decoding.listener.errors);
      assertEquals(0, decoding.maxReserved, "bytes reserved for a frame that was refused");
      assertFalse(decoding.decoder.isMidFrame());
    });
  }

  @Test
  void aFrameInProgressReservesExactlyItsAnnouncedLength() {
    Fuzz.forAll("frame in progress", 1000, r -> {
      int length = 1 + r.nextInt(MAX_FRAME_BYTES);
      return new int[] {length, r.nextInt(length)};
    }, lengthAndSent -> {
      Decoding decoding = new Decoding();
      int length = lengthAndSent[0];
      decoding.feedOnly(List.of(Bytes.splice(ByteBuffer.allocate(4).putInt(length).array(), 4, 0,
          new byte[lengthAndSent[1]])));
      assertTrue(decoding.decoder.isMidFrame());
      assertEquals(length, decoding.budget.reservedBytes());
      decoding.finish();
      assertTrue(decoding.listener.truncated);
    });
  }

  @Test
  void mutatedBodiesDecodeToAFrameOrADocumentedError() {
    Fuzz.forAll("mutated body", 2000, r -> {
      Buffer encoded = FrameCodec.encode(FrameGenerators.frame(r));
      return Bytes.mutate(r, encoded.getBytes(4, encoded.length()));
    }, FrameFuzzTest::decodeBothWays);
  }

  @Test
  void jsonObjectsOfKnownFieldsWithValuesOfAnyTypeDecodeToAFrameOrADocumentedError() {
    Fuzz.forAll("known fields, any values", 3000,
        r -> FrameGenerators.jsonObject(r).getBytes(StandardCharsets.UTF_8), FrameFuzzTest::decodeBothWays);
  }

  @Test
  void deepNestingAndHugeNumbersDecodeToAFrameOrADocumentedError() {
    Fuzz.forAll("deep nesting and huge numbers", 500, r -> {
      int depth = 1 + r.nextInt(r.nextBoolean() ? 50 : 5000);
      String open = r.nextBoolean() ? "[".repeat(depth) : "{\"a\":".repeat(depth);
      String close = open.startsWith("[") ? "]".repeat(depth) : "}".repeat(depth);
      String deep = open + (r.nextBoolean() ? "1" : FrameGenerators.hugeInteger(r)) + close;
      String field = List.of("payload", "id", "n", "headers", "extra", "messages").get(r.nextInt(6));
      String type = FrameGenerators.TYPES.get(r.nextInt(FrameGenerators.TYPES.size()));
      return ("{\"type\":\"" + type + "\",\"payload\":\"x\",\"id\":" + FrameGenerators.hugeInteger(r)
          + ",\"" + field + "2\":" + deep + "}").getBytes(StandardCharsets.UTF_8);
    }, FrameFuzzTest::decodeBothWays);
  }

  /** Found by {@link #jsonObjectsOfKnownFieldsWithValuesOfAnyTypeDecodeToAFrameOrADocumentedError}: each threw a RuntimeException. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"history_reply\",\"\\\"\":{},\"topic\":-454102053284345601,\"\":\"latest\",\"timestamp\":null}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"payload\":\"x\"}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[1]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":1,\"payload\":2}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":1.5,\"payload\":\"x\"}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":1,\"payload\":\"x\",\"timestamp\":\"now\"}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":1,\"payload\":\"x\",\"key\":[]}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":1,\"payload\":\"x\",\"headers\":{\"a\":1}}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":1,\"payload\":\"x\",\"headers\":\"a\"}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":1,\"payload\":\"x\",\"encoding\":7}]}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":\"none\"}",
      "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[],\"next_id\":\"2\"}"})
  void aMistypedHistoryReplyIsABadRequestOnTheClientsSide(String json) {
    FrameException e = assertThrows(FrameException.class,
        () -> FrameCodec.decode(Buffer.buffer(json), FrameCodec.Accept.ANY));
    assertEquals(ErrorCode.BAD_REQUEST, e.code(), e.getMessage());
  }

  @Test
  void aWellTypedHistoryReplyStillDecodes() throws FrameException {
    String json = "{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":18446744073709551615,"
        + "\"payload\":\"x\",\"timestamp\":5,\"key\":\"k\",\"headers\":{\"a\":\"b\"},\"encoding\":\"base64\"},"
        + "{\"id\":2,\"payload\":\"y\"}],\"next_id\":3}";
    assertEquals(new Frame.HistoryReply("t", List.of(
            new Frame.HistoryMessage(-1, "x", 5, "k", Map.of("a", "b"), Frame.Encoding.BASE64),
            new Frame.HistoryMessage(2, "y", 0, null, null, null)), 3L),
        FrameCodec.decode(Buffer.buffer(json), FrameCodec.Accept.ANY));
  }

  /** The broker's side and a client's side each decode it or refuse it with a documented code. */
  private static void decodeBothWays(byte[] body) {
    for (FrameCodec.Accept accept : FrameCodec.Accept.values()) {
      try {
        assertNotNull(FrameCodec.decode(Buffer.buffer(body), accept));
      } catch (FrameException e) {
        assertDocumented(e);
      }
    }
  }

  private static void assertDocumented(FrameException e) {
    assertTrue(DECODING_CODES.contains(e.code()), "undocumented code " + e.code() + ": " + e.getMessage());
    assertNotNull(e.getMessage());
    assertFalse(e.getMessage().isEmpty(), "an error needs a sentence");
  }

  private static byte[] encodeAll(List<Frame> frames) {
    Buffer stream = Buffer.buffer();
    frames.forEach(frame -> FrameCodec.encodeInto(stream, frame));
    return stream.getBytes();
  }

  /** Puts a length prefix in front: the true length, one off, zero, the limit or past it, or random. */
  private static byte[] withLength(byte[] body, SplittableRandom r) {
    long[] lengths = {body.length, body.length + 1L, Math.max(0, body.length - 1L), 0, MAX_FRAME_BYTES,
        MAX_FRAME_BYTES + 1L, 0x7fff_ffffL, 0xffff_ffffL, r.nextLong(0x1_0000_0000L)};
    long length = lengths[r.nextInt(lengths.length)];
    return Bytes.splice(body, 0, 0, ByteBuffer.allocate(4).putInt((int) length).array());
  }

  private record Stream(List<Frame> frames, List<byte[]> chunks) {
    @Override
    public String toString() {
      return frames.toString();
    }
  }

  /**
   * One detached decoder with a budget of its own, fed chunk by chunk. After every chunk it checks
   * the budget holds at most one frame's worth; at the end, that everything was given back.
   */
  private static final class Decoding {
    final CheckingListener listener = new CheckingListener();
    /** A clock that never moves: no deadline can pass, so only bytes decide what happens. */
    final FrameBudget budget = new FrameBudget(MAX_FRAME_BYTES, Long.MAX_VALUE, () -> 0L);
    final FrameDecoder decoder;
    long maxReserved;

    /** The broker's side, with the budget above. */
    Decoding() {
      decoder = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    }

    /** A client's side has a budget of its own that nothing exhausts, so the one above stays at 0. */
    Decoding(FrameCodec.Accept accept) {
      decoder = FrameDecoder.detached(MAX_FRAME_BYTES, accept, listener);
    }

    Decoding feed(List<byte[]> chunks) {
      feedOnly(chunks);
      finish();
      return this;
    }

    void feedOnly(List<byte[]> chunks) {
      for (byte[] chunk : chunks) {
        decoder.feed(Buffer.buffer(chunk));
        maxReserved = Math.max(maxReserved, budget.reservedBytes());
        assertTrue(budget.reservedBytes() <= MAX_FRAME_BYTES, "reserved " + budget.reservedBytes());
        assertEquals(0, budget.waiters(), "a single decoder never waits for its own budget");
      }
    }

    /** The stream ends and the connection goes: every byte of budget must be back. */
    void finish() {
      decoder.end();
      decoder.close();
      assertEquals(0, budget.reservedBytes(), "budget not given back");
      assertEquals(0, budget.holders());
    }
  }

  /** Records what the decoder reports and checks each report as it comes. */
  private static final class CheckingListener implements FrameDecoder.Listener {
    final List<Frame> frames = new ArrayList<>();
    final List<ErrorCode> errors = new ArrayList<>();
    boolean truncated;
    private boolean finished;

    @Override
    public void onFrame(Frame frame) {
      assertFalse(finished, "a frame after a fatal error or truncation");
      assertInstanceOf(Frame.class, frame);
      frames.add(frame);
    }

    @Override
    public void onInvalidFrame(FrameException error) {
      assertFalse(finished, "an error after a fatal error or truncation");
      assertDocumented(error);
      errors.add(error.code());
      finished = error.code().isFatal();
    }

    @Override
    public void onTruncated(int received, int expected) {
      assertFalse(finished, "truncation after a fatal error or truncation");
      assertTrue(received >= 0 && received < expected && expected <= MAX_FRAME_BYTES,
          "truncated " + received + " of " + expected);
      truncated = true;
      finished = true;
    }
  }
}
