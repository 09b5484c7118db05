package dev.courier.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bytes in, frames out: the JSON body of each wire frame as the seed (serde) writes it. */
class FrameCodecTest {

  // ---- encoding: exactly the seed's bytes ----

  @Test
  void encodesRegisterProducerToTheSeedBytes() {
    byte[] json = "{\"type\":\"register\",\"role\":\"producer\"}".getBytes(UTF_8);
    byte[] expected = new byte[4 + json.length];
    expected[3] = 0x25;
    System.arraycopy(json, 0, expected, 4, json.length);

    assertEquals(37, json.length);
    assertArrayEquals(expected, FrameCodec.encode(new Frame.Register(Frame.Role.PRODUCER)).getBytes());
  }

  @Test
  void encodesRegisterConsumerWithTheWireRoleName() {
    assertEncodesTo("{\"type\":\"register\",\"role\":\"consumer\"}", new Frame.Register(Frame.Role.CONSUMER));
  }

  @Test
  void encodesPublishWithTypeThenPayload() {
    assertEncodesTo("{\"type\":\"publish\",\"payload\":\"hello\"}", new Frame.Publish("hello"));
  }

  @Test
  void encodesAckWithANumericId() {
    assertEncodesTo("{\"type\":\"ack\",\"id\":1}", new Frame.Ack(1));
  }

  @Test
  void encodesMessageWithTypeThenIdThenPayload() {
    assertEncodesTo("{\"type\":\"message\",\"id\":1,\"payload\":\"hello\"}", new Frame.Message(1, "hello"));
  }

  @Test
  void encodesOkAsTheBareTag() {
    assertEncodesTo("{\"type\":\"ok\"}", Frame.Ok.INSTANCE);
  }

  @Test
  void encodesErrorWithMessageThenCode() {
    assertEncodesTo("{\"type\":\"error\",\"message\":\"no such message\",\"code\":\"unknown_message\"}",
        new Frame.Error("no such message", ErrorCode.UNKNOWN_MESSAGE));
  }

  @Test
  void encodesErrorWithoutCodeAsMessageOnly() {
    assertEncodesTo("{\"type\":\"error\",\"message\":\"boom\"}", new Frame.Error("boom", null));
  }

  @Test
  void encodesTheLargestIdsWithoutLoss() {
    assertEncodesTo("{\"type\":\"message\",\"id\":9223372036854775807,\"payload\":\"\"}",
        new Frame.Message(Long.MAX_VALUE, ""));
  }

  @Test
  void lengthPrefixCountsUtf8BytesOfARawUtf8Body() {
    String json = "{\"type\":\"publish\",\"payload\":\"h\u00e9llo \u20ac \u65e5\u672c\"}";
    Buffer frame = FrameCodec.encode(new Frame.Publish("h\u00e9llo \u20ac \u65e5\u672c"));

    byte[] body = json.getBytes(UTF_8);
    assertTrue(body.length > json.length(), "the sample must contain multi-byte characters");
    assertEquals(body.length, frame.getInt(0));
    assertArrayEquals(body, frame.getBytes(4, frame.length()));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersInPayloads() {
    Buffer frame = FrameCodec.encode(new Frame.Publish("a\"b\\c\nd\u0001"));
    assertEquals("{\"type\":\"publish\",\"payload\":\"a\\\"b\\\\c\\nd\\u0001\"}", bodyOf(frame));
  }

  @Test
  void escapesEveryControlCharacterExactlyAsSerdeDoes() {
    StringBuilder payload = new StringBuilder();
    StringBuilder escaped = new StringBuilder();
    for (char ch = 0; ch < 0x20; ch++) {
      payload.append(ch);
      escaped.append(switch (ch) {
        case '\b' -> "\\b";
        case '\t' -> "\\t";
        case '\n' -> "\\n";
        case '\f' -> "\\f";
        case '\r' -> "\\r";
        default -> String.format("\\u%04x", (int) ch); // serde_json writes lower-case hex digits
      });
    }
    payload.append("\"\\/\u007f");
    escaped.append("\\\"\\\\/\u007f");

    assertEquals("{\"type\":\"publish\",\"payload\":\"" + escaped + "\"}",
        bodyOf(FrameCodec.encode(new Frame.Publish(payload.toString()))));
  }

  // ---- round trips ----

  static Stream<Frame> everyFrameType() {
    List<Frame> frames = new ArrayList<>(List.of(
        new Frame.Register(Frame.Role.PRODUCER),
        new Frame.Register(Frame.Role.CONSUMER),
        new Frame.Publish("hello"),
        new Frame.Publish(""),
        new Frame.Publish("h\u00e9llo w\u00f6rld \u65e5\u672c\u8a9e \ud83d\ude80 \u0635\u0628\u0627\u062d"),
        new Frame.Publish("quote \" backslash \\ slash / newline \n tab \t cr \r nul \u0000 us \u001f del \u007f"),
        new Frame.Publish("{\"type\":\"ack\",\"id\":1}"),
        new Frame.Ack(0),
        new Frame.Ack(1),
        new Frame.Ack(Long.MAX_VALUE),
        new Frame.Message(1, "hello"),
        new Frame.Message(Long.MAX_VALUE, "\ud83d\udce8 line1\nline2"),
        Frame.Ok.INSTANCE,
        new Frame.Error("", null),
        new Frame.Error("caf\u00e9 \"closed\"\n", ErrorCode.INTERNAL_ERROR)));
    for (ErrorCode code : ErrorCode.values()) {
      frames.add(new Frame.Error("because " + code, code));
    }
    return frames.stream();
  }

  @ParameterizedTest
  @MethodSource("everyFrameType")
  void decodingAnEncodedFrameGivesItBack(Frame frame) throws FrameException {
    Buffer encoded = FrameCodec.encode(frame);

    assertEquals(encoded.length() - FrameCodec.LENGTH_PREFIX_BYTES, encoded.getInt(0));
    assertEquals(frame, FrameCodec.decode(encoded.getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, encoded.length())));
  }

  @ParameterizedTest
  @MethodSource("everyFrameType")
  void reencodingADecodedFrameGivesTheSameBytes(Frame frame) throws FrameException {
    Buffer encoded = FrameCodec.encode(frame);
    Frame decoded = FrameCodec.decode(encoded.getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, encoded.length()));

    assertArrayEquals(encoded.getBytes(), FrameCodec.encode(decoded).getBytes());
  }

  @Test
  void decodesJsonEscapesInPayloads() throws FrameException {
    String json = "{\"type\":\"publish\",\"payload\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude80\"}";
    assertEquals(new Frame.Publish("a\"b\\c/d\n\u00e9\ud83d\ude80"), decode(json));
  }

  @Test
  void decodesPrettyPrintedJson() throws FrameException {
    assertEquals(new Frame.Ack(5), decode("\n{ \"type\" : \"ack\",\n  \"id\" : 5 }\n"));
  }

  @Test
  void decodesAnErrorFrameWithAnUnknownOrMissingCodeToANullCode() throws FrameException {
    assertEquals(new Frame.Error("later", null), decode("{\"type\":\"error\",\"message\":\"later\",\"code\":\"from_the_future\"}"));
    assertEquals(new Frame.Error("", null), decode("{\"type\":\"error\"}"));
  }

  // ---- liberal with unknown fields, indifferent to order ----

  @Test
  void ignoresUnknownScalarFields() throws FrameException {
    assertEquals(new Frame.Publish("hi"),
        decode("{\"type\":\"publish\",\"region\":\"t\",\"priority\":3,\"urgent\":true,\"ttl\":1.5,\"key\":null,\"payload\":\"hi\"}"));
  }

  @Test
  void ignoresUnknownNestedObjectsAndArraysEvenWhenTheyHoldKnownFieldNames() throws FrameException {
    String json = "{\"type\":\"publish\","
        + "\"envelope\":{\"type\":\"ack\",\"payload\":5,\"inner\":{\"id\":-1,\"list\":[1,{\"type\":\"x\"}]}},"
        + "\"tags\":[{\"type\":\"register\"},[\"payload\",[]],null,7],"
        + "\"payload\":\"kept\"}";
    assertEquals(new Frame.Publish("kept"), decode(json));
  }

  @Test
  void ignoresUnknownFieldsOnEveryFrameType() throws FrameException {
    assertEquals(new Frame.Register(Frame.Role.CONSUMER), decode("{\"type\":\"register\",\"role\":\"consumer\",\"team\":{\"name\":\"g\"}}"));
    assertEquals(new Frame.Ack(9), decode("{\"type\":\"ack\",\"id\":9,\"requeue\":[false]}"));
    assertEquals(Frame.Ok.INSTANCE, decode("{\"type\":\"ok\",\"id\":3}"));
  }

  @Test
  void acceptsFieldsInAnyOrder() throws FrameException {
    assertEquals(new Frame.Publish("hello"), decode("{\"payload\":\"hello\",\"type\":\"publish\"}"));
    assertEquals(new Frame.Register(Frame.Role.PRODUCER), decode("{\"role\":\"producer\",\"type\":\"register\"}"));
    assertEquals(new Frame.Message(7, "p"), decode("{\"payload\":\"p\",\"id\":7,\"type\":\"message\"}"));
    assertEquals(new Frame.Error("m", ErrorCode.NOT_OWNER), decode("{\"code\":\"not_owner\",\"type\":\"error\",\"message\":\"m\"}"));
  }

  // ---- ids ----

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "12345678901234567890", "18446744073709551615"})
  void decodesAnAckIdAboveLongRangeButWithinU64ToTheUnassignableId(String id) throws FrameException {
    assertEquals(new Frame.Ack(Frame.Ack.UNASSIGNABLE_ID), decode("{\"type\":\"ack\",\"id\":" + id + "}"));
  }

  @Test
  void decodesTheEdgesOfTheSignedRangeExactly() throws FrameException {
    assertEquals(new Frame.Ack(0), decode("{\"type\":\"ack\",\"id\":0}"));
    assertEquals(new Frame.Ack(Long.MAX_VALUE), decode("{\"type\":\"ack\",\"id\":9223372036854775807}"));
    assertEquals(new Frame.Ack(2147483648L), decode("{\"type\":\"ack\",\"id\":2147483648}"));
  }

  // ---- errors, each with its code ----

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        Arguments.of("not JSON", "hello", ErrorCode.BAD_JSON),
        Arguments.of("empty body", "", ErrorCode.BAD_JSON),
        Arguments.of("only whitespace", "  \n", ErrorCode.BAD_JSON),
        Arguments.of("JSON array", "[{\"type\":\"ok\"}]", ErrorCode.BAD_JSON),
        Arguments.of("JSON string", "\"ok\"", ErrorCode.BAD_JSON),
        Arguments.of("JSON number", "42", ErrorCode.BAD_JSON),
        Arguments.of("JSON null", "null", ErrorCode.BAD_JSON),
        Arguments.of("trailing garbage", "{\"type\":\"ok\"} x", ErrorCode.BAD_JSON),
        Arguments.of("trailing second object", "{\"type\":\"ok\"}{\"type\":\"ok\"}", ErrorCode.BAD_JSON),
        Arguments.of("trailing comma", "{\"type\":\"ok\",}", ErrorCode.BAD_JSON),
        Arguments.of("unterminated object", "{\"type\":\"ok\"", ErrorCode.BAD_JSON),
        Arguments.of("unterminated string", "{\"type\":\"publish\",\"payload\":\"abc", ErrorCode.BAD_JSON),
        Arguments.of("single quotes", "{'type':'ok'}", ErrorCode.BAD_JSON),
        Arguments.of("comment", "{\"type\":\"ok\" /* hi */}", ErrorCode.BAD_JSON),
        Arguments.of("missing type", "{}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("missing type with payload", "{\"payload\":\"x\"}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("numeric type", "{\"type\":5}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("null type", "{\"type\":null}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("unknown type", "{\"type\":\"subscribe\"}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("capitalised type", "{\"type\":\"Register\",\"role\":\"producer\"}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("upper-case type", "{\"type\":\"PUBLISH\",\"payload\":\"x\"}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("serde external tagging", "{\"Register\":{\"role\":\"producer\"}}", ErrorCode.UNKNOWN_TYPE),
        Arguments.of("unknown role", "{\"type\":\"register\",\"role\":\"admin\"}", ErrorCode.BAD_ROLE),
        Arguments.of("capitalised role", "{\"type\":\"register\",\"role\":\"Producer\"}", ErrorCode.BAD_ROLE),
        Arguments.of("missing role", "{\"type\":\"register\"}", ErrorCode.BAD_ROLE),
        Arguments.of("numeric role", "{\"type\":\"register\",\"role\":1}", ErrorCode.BAD_ROLE),
        Arguments.of("null role", "{\"type\":\"register\",\"role\":null}", ErrorCode.BAD_ROLE),
        Arguments.of("publish without payload", "{\"type\":\"publish\"}", ErrorCode.BAD_REQUEST),
        Arguments.of("publish with number payload", "{\"type\":\"publish\",\"payload\":5}", ErrorCode.BAD_REQUEST),
        Arguments.of("publish with null payload", "{\"type\":\"publish\",\"payload\":null}", ErrorCode.BAD_REQUEST),
        Arguments.of("publish with object payload", "{\"type\":\"publish\",\"payload\":{\"a\":\"b\"}}", ErrorCode.BAD_REQUEST),
        Arguments.of("publish with array payload", "{\"type\":\"publish\",\"payload\":[\"a\"]}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack without id", "{\"type\":\"ack\"}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with negative id", "{\"type\":\"ack\",\"id\":-1}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with Long.MIN_VALUE id", "{\"type\":\"ack\",\"id\":-9223372036854775808}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with id below Long.MIN_VALUE", "{\"type\":\"ack\",\"id\":-9223372036854775809}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with float id", "{\"type\":\"ack\",\"id\":1.5}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with integral float id", "{\"type\":\"ack\",\"id\":1.0}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with exponent id", "{\"type\":\"ack\",\"id\":1e3}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with string id", "{\"type\":\"ack\",\"id\":\"1\"}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with boolean id", "{\"type\":\"ack\",\"id\":true}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with id 2^64", "{\"type\":\"ack\",\"id\":18446744073709551616}", ErrorCode.BAD_REQUEST),
        Arguments.of("ack with id far above u64", "{\"type\":\"ack\",\"id\":123456789012345678901234567890}", ErrorCode.BAD_REQUEST),
        Arguments.of("message without payload", "{\"type\":\"message\",\"id\":1}", ErrorCode.BAD_REQUEST),
        Arguments.of("message without id", "{\"type\":\"message\",\"payload\":\"x\"}", ErrorCode.BAD_REQUEST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidBodies")
  void rejectsAnInvalidBodyWithItsErrorCode(String description, String json, ErrorCode expected) {
    FrameException error = assertThrows(FrameException.class, () -> decode(json));
    assertEquals(expected, error.code(), () -> description + ": " + error.getMessage());
    assertFalse(error.getMessage().isBlank(), "the error carries a sentence for the peer");
  }

  @Test
  void rejectsInvalidUtf8AsBadJson() {
    byte[] prefix = "{\"type\":\"publish\",\"payload\":\"".getBytes(UTF_8);
    byte[] suffix = "\"}".getBytes(UTF_8);
    Buffer body = Buffer.buffer().appendBytes(prefix).appendByte((byte) 0xC3).appendByte((byte) 0x28).appendBytes(suffix);

    FrameException error = assertThrows(FrameException.class, () -> FrameCodec.decode(body));
    assertEquals(ErrorCode.BAD_JSON, error.code());
  }

  @Test
  void abbreviatesAHugeUnknownTypeInTheErrorMessage() {
    String type = "x".repeat(10_000);
    FrameException error = assertThrows(FrameException.class, () -> decode("{\"type\":\"" + type + "\"}"));
    assertEquals(ErrorCode.UNKNOWN_TYPE, error.code());
    assertTrue(error.getMessage().length() < 200, error.getMessage().length() + " chars");
  }

  @Test
  void classifiesStreamBreakingCodesAsFatalAndFrameLevelCodesAsRecoverable() {
    assertTrue(ErrorCode.BAD_JSON.isFatal());
    assertTrue(ErrorCode.EMPTY_FRAME.isFatal());
    assertTrue(ErrorCode.FRAME_TOO_LARGE.isFatal());
    assertFalse(ErrorCode.UNKNOWN_TYPE.isFatal());
    assertFalse(ErrorCode.BAD_REQUEST.isFatal());
    assertNull(ErrorCode.fromWire("Unknown_Message"));
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(code, ErrorCode.fromWire(code.wireName()));
    }
  }

  private static Frame decode(String json) throws FrameException {
    return FrameCodec.decode(Buffer.buffer(json.getBytes(UTF_8)));
  }

  private static String bodyOf(Buffer frame) {
    return new String(frame.getBytes(FrameCodec.LENGTH_PREFIX_BYTES, frame.length()), UTF_8);
  }

  private static void assertEncodesTo(String json, Frame frame) {
    Buffer encoded = FrameCodec.encode(frame);
    assertEquals(json, bodyOf(encoded));
    assertEquals(json.getBytes(UTF_8).length, encoded.getInt(0));
    assertEquals(0, encoded.getByte(0), "the length is big-endian: its high byte comes first");
  }
}
