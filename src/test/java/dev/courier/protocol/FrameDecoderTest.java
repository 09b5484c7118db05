package dev.courier.protocol;

import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The length-prefix state machine, fed by hand: splits, limits, recoverable and fatal errors, truncation. */
class FrameDecoderTest {
  private static final int MAX_FRAME_BYTES = 1024;

  /** What the decoder reported, in order. */
  private sealed interface Event {}

  private record Decoded(Frame frame) implements Event {}

  private record Invalid(ErrorCode code) implements Event {}

  private record Truncated(int received, int expected) implements Event {}

  private static final class RecordingListener implements FrameDecoder.Listener {
    final List<Event> events = new ArrayList<>();
    final List<String> errorMessages = new ArrayList<>();

    @Override
    public void onFrame(Frame frame) {
      events.add(new Decoded(frame));
    }

    @Override
    public void onInvalidFrame(FrameException error) {
      events.add(new Invalid(error.code()));
      errorMessages.add(error.getMessage());
    }

    @Override
    public void onTruncated(int received, int expected) {
      events.add(new Truncated(received, expected));
    }
  }

  private final RecordingListener listener = new RecordingListener();
  /** The broker's side: only the frames a client may send. */
  private final FrameDecoder decoder = FrameDecoder.detached(MAX_FRAME_BYTES, listener);

  /** Frames of both directions, so these streams are decoded with {@link FrameCodec.Accept#ANY}. */
  private static final List<Frame> STREAM_FRAMES = List.of(
      new Frame.Register(Frame.Role.CONSUMER),
      new Frame.Publish("hello"),
      new Frame.Publish("h\u00e9llo \u65e5\u672c \ud83d\ude80 \"quoted\"\n"),
      new Frame.Ack(3),
      new Frame.Message(42, "x"),
      Frame.Ok.INSTANCE,
      new Frame.Error("nope", ErrorCode.NOT_OWNER),
      new Frame.Publish("last"));

  // ---- splitting ----

  @Test
  void decodesTheSameFramesWhateverByteTheStreamIsSplitAt() {
    Buffer stream = encodeAll(STREAM_FRAMES);
    List<Event> expected = decodedEvents(STREAM_FRAMES);

    for (int split = 0; split <= stream.length(); split++) {
      RecordingListener recording = new RecordingListener();
      FrameDecoder splitDecoder = FrameDecoder.detached(MAX_FRAME_BYTES, FrameCodec.Accept.ANY, recording);
      splitDecoder.feed(stream.getBuffer(0, split));
      splitDecoder.feed(stream.getBuffer(split, stream.length()));
      splitDecoder.end();

      assertEquals(expected, recording.events, "split at byte " + split);
    }
  }

  @Test
  void decodesTheSameFramesWhateverTheChunkSize() {
    Buffer stream = encodeAll(STREAM_FRAMES);
    List<Event> expected = decodedEvents(STREAM_FRAMES);

    for (int chunk = 1; chunk <= stream.length(); chunk++) {
      RecordingListener recording = new RecordingListener();
      FrameDecoder chunkedDecoder = FrameDecoder.detached(MAX_FRAME_BYTES, FrameCodec.Accept.ANY, recording);
      for (int start = 0; start < stream.length(); start += chunk) {
        chunkedDecoder.feed(stream.getBuffer(start, Math.min(stream.length(), start + chunk)));
      }
      chunkedDecoder.end();

      assertEquals(expected, recording.events, "chunks of " + chunk + " bytes");
    }
  }

  @Test
  void decodesAStreamFedOneByteAtATime() {
    Buffer stream = encodeAll(STREAM_FRAMES);
    FrameDecoder anyDecoder = FrameDecoder.detached(MAX_FRAME_BYTES, FrameCodec.Accept.ANY, listener);

    for (int i = 0; i < stream.length(); i++) {
      anyDecoder.feed(stream.getBuffer(i, i + 1));
    }
    anyDecoder.end();

    assertEquals(decodedEvents(STREAM_FRAMES), listener.events);
  }

  @Test
  void reportsEachFrameAsSoonAsItsLastByteArrives() {
    Buffer first = FrameCodec.encode(new Frame.Publish("one"));

    decoder.feed(first.getBuffer(0, first.length() - 1));
    assertEquals(List.of(), listener.events);

    decoder.feed(first.getBuffer(first.length() - 1, first.length()));
    assertEquals(List.of(new Decoded(new Frame.Publish("one"))), listener.events);
  }

  @Test
  void ignoresEmptyChunks() {
    Buffer frame = FrameCodec.encode(new Frame.Ack(7));

    decoder.feed(Buffer.buffer());
    decoder.feed(frame.getBuffer(0, 2));
    decoder.feed(Buffer.buffer());
    decoder.feed(frame.getBuffer(2, frame.length()));
    decoder.feed(Buffer.buffer());
    decoder.end();

    assertEquals(List.of(new Decoded(new Frame.Ack(7))), listener.events);
  }

  // ---- length limits ----

  @Test
  void acceptsAFrameOfExactlyTheMaximumSize() {
    String padding = "p".repeat(MAX_FRAME_BYTES - "{\"type\":\"publish\",\"payload\":\"\"}".length());
    Buffer frame = FrameCodec.encode(new Frame.Publish(padding));
    assertEquals(MAX_FRAME_BYTES, frame.getInt(0));

    decoder.feed(frame);

    assertEquals(List.of(new Decoded(new Frame.Publish(padding))), listener.events);
  }

  @Test
  void rejectsAZeroLengthAndDecodesNothingAfterIt() {
    decoder.feed(Buffer.buffer().appendInt(0).appendBuffer(FrameCodec.encode(Frame.Ok.INSTANCE)));
    decoder.end();

    assertEquals(List.of(new Invalid(ErrorCode.EMPTY_FRAME)), listener.events);
  }

  @ParameterizedTest
  @ValueSource(longs = {MAX_FRAME_BYTES + 1, 0x7ffffff0L, 0x80000000L, 0xFFFFFFFFL})
  void rejectsALengthAboveTheLimitAndIgnoresTheRestOfTheStream(long length) {
    // 0x80000000 and 0xFFFFFFFF are negative as a signed int: the prefix is unsigned, so they are huge, not negative.
    decoder.feed(Buffer.buffer().appendUnsignedInt(length).appendString("{\"type\":\"ok\"}"));
    decoder.feed(FrameCodec.encode(new Frame.Publish("after")));
    decoder.end();

    assertEquals(List.of(new Invalid(ErrorCode.FRAME_TOO_LARGE)), listener.events);
    assertTrue(listener.errorMessages.get(0).contains(Long.toString(length)), listener.errorMessages.get(0));
  }

  @Test
  void rejectsAnOversizedLengthThatArrivesOneByteAtATime() {
    Buffer prefix = Buffer.buffer().appendUnsignedInt(0x7ffffff0L);
    for (int i = 0; i < prefix.length(); i++) {
      decoder.feed(prefix.getBuffer(i, i + 1));
    }

    assertEquals(List.of(new Invalid(ErrorCode.FRAME_TOO_LARGE)), listener.events);
  }

  @Test
  void refusesANonPositiveMaximum() {
    assertThrows(IllegalArgumentException.class, () -> FrameDecoder.detached(0, listener));
    assertThrows(IllegalArgumentException.class, () -> FrameDecoder.detached(-1, listener));
  }

  // ---- recoverable and fatal body errors ----

  @Test
  void keepsDecodingAfterAnUnknownType() {
    decoder.feed(bodyFrame("{\"type\":\"subscribe\",\"topic\":\"t\"}"));
    decoder.feed(FrameCodec.encode(new Frame.Publish("next")));

    assertEquals(List.of(new Invalid(ErrorCode.UNKNOWN_TYPE), new Decoded(new Frame.Publish("next"))), listener.events);
  }

  @Test
  void keepsDecodingAfterAPublishWithoutPayload() {
    decoder.feed(bodyFrame("{\"type\":\"publish\"}")
        .appendBuffer(FrameCodec.encode(new Frame.Ack(1)))
        .appendBuffer(bodyFrame("{\"type\":\"ack\",\"id\":-1}"))
        .appendBuffer(FrameCodec.encode(new Frame.Ack(2))));

    assertEquals(List.of(
        new Invalid(ErrorCode.BAD_REQUEST),
        new Decoded(new Frame.Ack(1)),
        new Invalid(ErrorCode.BAD_REQUEST),
        new Decoded(new Frame.Ack(2))), listener.events);
  }

  @Test
  void stopsDecodingAfterABadRoleBecauseThatCodeIsFatal() {
    decoder.feed(bodyFrame("{\"type\":\"register\",\"role\":\"admin\"}"));
    decoder.feed(FrameCodec.encode(Frame.Ok.INSTANCE));
    decoder.end();

    assertEquals(List.of(new Invalid(ErrorCode.BAD_ROLE)), listener.events);
  }

  @Test
  void stopsDecodingAfterABodyThatIsNotJson() {
    decoder.feed(FrameCodec.encode(new Frame.Publish("before")));
    decoder.feed(bodyFrame("not json at all"));
    decoder.feed(FrameCodec.encode(new Frame.Publish("after")));
    decoder.end();

    assertEquals(List.of(new Decoded(new Frame.Publish("before")), new Invalid(ErrorCode.BAD_JSON)), listener.events);
  }

  @Test
  void stopsDecodingAfterABadJsonBodyEvenWhenTheNextFrameIsInTheSameChunk() {
    decoder.feed(bodyFrame("[1,2]").appendBuffer(FrameCodec.encode(Frame.Ok.INSTANCE)));

    assertEquals(List.of(new Invalid(ErrorCode.BAD_JSON)), listener.events);
  }

  @Test
  void keepsDecodingAfterEachFrameTypeOnlyTheBrokerSends() {
    decoder.feed(bodyFrame("{\"type\":\"message\"}")
        .appendBuffer(FrameCodec.encode(new Frame.Message(1, "forged")))
        .appendBuffer(FrameCodec.encode(Frame.Ok.INSTANCE))
        .appendBuffer(FrameCodec.encode(new Frame.Error("e", ErrorCode.BAD_JSON)))
        .appendBuffer(bodyFrame("{\"type\":\"stats_reply\",\"broker\":[]}"))
        .appendBuffer(bodyFrame("{\"type\":\"history_reply\",\"messages\":[1]}"))
        .appendBuffer(FrameCodec.encode(new Frame.Publish("next"))));

    Invalid unknownType = new Invalid(ErrorCode.UNKNOWN_TYPE);
    assertEquals(List.of(unknownType, unknownType, unknownType, unknownType, unknownType, unknownType,
        new Decoded(new Frame.Publish("next"))), listener.events);
  }

  @Test
  void aClientSideDecoderStillTakesTheBrokersFrames() {
    FrameDecoder clientSide = FrameDecoder.detached(MAX_FRAME_BYTES, FrameCodec.Accept.ANY, listener);
    clientSide.feed(FrameCodec.encode(Frame.Ok.INSTANCE).appendBuffer(FrameCodec.encode(new Frame.Message(2, "m"))));

    assertEquals(List.of(new Decoded(Frame.Ok.INSTANCE), new Decoded(new Frame.Message(2, "m"))), listener.events);
  }

  static List<Buffer> strictlyBadBodies() {
    return List.of(
        Buffer.buffer().appendString("{\"type\":\"publish\",\"payload\":\"").appendByte((byte) 0xC0)
            .appendByte((byte) 0xAF).appendString("\"}"),
        Buffer.buffer().appendBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendString("{\"type\":\"stats\"}"),
        Buffer.buffer("{\"type\":\"stats\"}".getBytes(UTF_16LE)),
        Buffer.buffer("{\"type\":\"publish\",\"payload\":\"a\",\"payload\":\"b\"}"),
        Buffer.buffer("{\"type\":\"publish\",\"payload\":\"\\ud800\"}"));
  }

  @ParameterizedTest
  @MethodSource("strictlyBadBodies")
  void stopsDecodingAfterMalformedUtf8AnotherEncodingADuplicateKeyOrALoneSurrogate(Buffer body) {
    decoder.feed(FrameCodec.encode(new Frame.Publish("before")));
    decoder.feed(Buffer.buffer().appendInt(body.length()).appendBuffer(body)
        .appendBuffer(FrameCodec.encode(new Frame.Publish("after"))));
    decoder.end();

    assertEquals(List.of(new Decoded(new Frame.Publish("before")), new Invalid(ErrorCode.BAD_JSON)), listener.events);
  }

  // ---- end of stream ----

  @Test
  void reportsTruncationInsideTheLengthPrefix() {
    decoder.feed(Buffer.buffer(new byte[] {0, 0}));
    decoder.end();

    assertEquals(List.of(new Truncated(2, 4)), listener.events);
  }

  @Test
  void reportsTruncationInsideTheLengthPrefixOfALaterFrame() {
    Buffer next = FrameCodec.encode(Frame.Ok.INSTANCE);
    decoder.feed(FrameCodec.encode(new Frame.Ack(1)).appendBuffer(next.getBuffer(0, 3)));
    decoder.end();

    assertEquals(List.of(new Decoded(new Frame.Ack(1)), new Truncated(3, 4)), listener.events);
  }

  @Test
  void reportsTruncationInsideTheBodyWithReceivedAndExpectedCounts() {
    Buffer frame = FrameCodec.encode(new Frame.Register(Frame.Role.PRODUCER));
    decoder.feed(frame.getBuffer(0, 4 + 10));
    decoder.end();

    assertEquals(List.of(new Truncated(10, 37)), listener.events);
  }

  @Test
  void reportsTruncationRightAfterTheLengthPrefix() {
    decoder.feed(Buffer.buffer().appendInt(37));
    decoder.end();

    assertEquals(List.of(new Truncated(0, 37)), listener.events);
  }

  @Test
  void reportsTruncationOnlyOnceWhenEndedTwice() {
    decoder.feed(Buffer.buffer().appendInt(20).appendString("{\"ty"));
    decoder.end();
    decoder.end();

    assertEquals(List.of(new Truncated(4, 20)), listener.events);
  }

  @Test
  void reportsNothingWhenTheStreamEndsAtAFrameBoundary() {
    decoder.feed(FrameCodec.encode(new Frame.Ack(1)).appendBuffer(FrameCodec.encode(new Frame.Ack(2))));
    decoder.end();

    assertEquals(List.of(new Decoded(new Frame.Ack(1)), new Decoded(new Frame.Ack(2))), listener.events);
  }

  @Test
  void reportsNothingWhenTheStreamEndsBeforeAnyByte() {
    decoder.end();

    assertEquals(List.of(), listener.events);
  }

  @Test
  void reportsNoTruncationAfterAFatalError() {
    decoder.feed(Buffer.buffer().appendInt(0).appendInt(37).appendString("{\"type\""));
    decoder.end();

    assertEquals(List.of(new Invalid(ErrorCode.EMPTY_FRAME)), listener.events);
  }

  // ---- budget for bodies in progress ----

  @Test
  void aBodyThatArrivesWithItsPrefixReservesNothing() {
    FrameBudget budget = new FrameBudget(MAX_FRAME_BYTES, 1_000, () -> 0);
    FrameDecoder budgeted = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    FrameBudget.Claimant rival = holdAll(budget);

    budgeted.feed(FrameCodec.encode(new Frame.Ack(7)));

    assertEquals(List.of(new Decoded(new Frame.Ack(7))), listener.events);
    assertEquals(0, budget.waiters());
    budget.release(rival);
  }

  @Test
  void aBodyThatArrivesInPiecesHoldsItsLengthUntilItIsComplete() {
    FrameBudget budget = new FrameBudget(MAX_FRAME_BYTES, 1_000, () -> 0);
    FrameDecoder budgeted = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    Buffer frame = FrameCodec.encode(new Frame.Publish("pieces"));
    int body = frame.length() - 4;

    budgeted.feed(frame.getBuffer(0, 10));
    assertEquals(body, budget.reservedBytes());
    assertTrue(budgeted.isMidFrame());

    budgeted.feed(frame.getBuffer(10, frame.length()));
    assertEquals(List.of(new Decoded(new Frame.Publish("pieces"))), listener.events);
    assertEquals(0, budget.reservedBytes());
  }

  @Test
  void aDecoderWaitingForBudgetDeliversNothingUntilGrantedThenEverythingInOrder() {
    FrameBudget budget = new FrameBudget(MAX_FRAME_BYTES, 1_000, () -> 0);
    FrameDecoder budgeted = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    FrameBudget.Claimant rival = holdAll(budget);
    Buffer stream = encodeAll(List.of(new Frame.Publish("one"), new Frame.Ack(2)));

    budgeted.feed(stream.getBuffer(0, 6));
    budgeted.feed(stream.getBuffer(6, stream.length()));
    assertEquals(List.of(), listener.events);
    assertEquals(1, budget.waiters());

    budget.release(rival);

    assertEquals(decodedEvents(List.of(new Frame.Publish("one"), new Frame.Ack(2))), listener.events);
    assertEquals(0, budget.reservedBytes());
  }

  @Test
  void aBodyHeldPastTheDeadlineIsFrameTimeoutAndNothingAfterItIsDecoded() {
    long[] now = {0};
    FrameBudget budget = new FrameBudget(MAX_FRAME_BYTES, 1_000, () -> now[0]);
    FrameDecoder budgeted = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    Buffer frame = FrameCodec.encode(new Frame.Publish("slow"));

    budgeted.feed(frame.getBuffer(0, 8));
    now[0] = 1_000;
    budget.expire();
    budgeted.feed(frame.getBuffer(8, frame.length()));
    budgeted.feed(FrameCodec.encode(new Frame.Ack(1)));
    budgeted.end();

    assertEquals(List.of(new Invalid(ErrorCode.FRAME_TIMEOUT)), listener.events);
    assertTrue(listener.errorMessages.get(0).contains("4 of " + (frame.length() - 4) + " bytes"),
        listener.errorMessages.get(0));
    assertEquals(0, budget.reservedBytes());
    assertEquals(0, budget.holders());
  }

  @Test
  void closingGivesBackWhatTheDecoderHoldsOrWaitsFor() {
    FrameBudget budget = new FrameBudget(MAX_FRAME_BYTES, 1_000, () -> 0);
    FrameDecoder holding = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    FrameDecoder waiting = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    holding.feed(Buffer.buffer().appendInt(MAX_FRAME_BYTES).appendString("{"));
    waiting.feed(Buffer.buffer().appendInt(10));
    assertEquals(1, budget.holders());
    assertEquals(1, budget.waiters());

    waiting.close();
    holding.close();
    holding.close();

    assertEquals(0, budget.reservedBytes());
    assertEquals(0, budget.waiters());
    assertEquals(0, budget.holders());
  }

  @Test
  void aDecoderGrantedWhileItsOwnerPausedItStaysPausedUntilResumed() {
    FrameBudget budget = new FrameBudget(MAX_FRAME_BYTES, 1_000, () -> 0);
    FrameDecoder budgeted = FrameDecoder.detached(MAX_FRAME_BYTES, budget, listener);
    FrameBudget.Claimant rival = holdAll(budget);
    budgeted.feed(FrameCodec.encode(new Frame.Ack(3)).getBuffer(0, 5));
    budgeted.pause();
    budgeted.feed(FrameCodec.encode(new Frame.Ack(3)).getBuffer(5, FrameCodec.encode(new Frame.Ack(3)).length()));

    budget.release(rival);
    assertEquals(List.of(), listener.events);

    budgeted.resume();
    assertEquals(List.of(new Decoded(new Frame.Ack(3))), listener.events);
  }

  @Test
  void refusesABudgetSmallerThanOneFrame() {
    assertThrows(IllegalArgumentException.class,
        () -> FrameDecoder.detached(MAX_FRAME_BYTES, new FrameBudget(MAX_FRAME_BYTES - 1, 1, () -> 0), listener));
  }

  /** Takes the whole budget for a claimant of the test's own. */
  private static FrameBudget.Claimant holdAll(FrameBudget budget) {
    FrameBudget.Claimant rival = new FrameBudget.Claimant() {
      @Override
      public void granted() { }

      @Override
      public void timedOut(long heldNanos) { }
    };
    assertTrue(budget.reserve(rival, (int) budget.capacityBytes()));
    return rival;
  }

  private static Buffer bodyFrame(String json) {
    byte[] body = json.getBytes(UTF_8);
    return Buffer.buffer().appendInt(body.length).appendBytes(body);
  }

  private static Buffer encodeAll(List<Frame> frames) {
    Buffer stream = Buffer.buffer();
    frames.forEach(frame -> stream.appendBuffer(FrameCodec.encode(frame)));
    return stream;
  }

  private static List<Event> decodedEvents(List<Frame> frames) {
    return frames.stream().<Event>map(Decoded::new).toList();
  }
}
