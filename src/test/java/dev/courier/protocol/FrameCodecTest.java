package dev.courier.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
    assertEquals(Frame.Ok.INSTANCE, decode("{\"type\":\"ok\",\"requeue\":3}"));
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
  @ValueSource(strings = {"9223372036854775808", "12345678901234567890", "18446744073709551614", "18446744073709551615"})
  void decodesAnAckIdAboveLongRangeButWithinU64SoThatItPrintsBackExactly(String id) throws FrameException {
    String json = "{\"type\":\"ack\",\"id\":" + id + "}";
    Frame.Ack ack = (Frame.Ack) decode(json);

    assertEquals(id, Long.toUnsignedString(ack.id()), "what Connection echoes in unknown_message");
    assertEquals(json, bodyOf(FrameCodec.encode(ack)), "and it re-encodes to the same bytes");
  }

  @Test
  void theLargestU64IsStillTheUnassignableId() throws FrameException {
    assertEquals(new Frame.Ack(Frame.Ack.UNASSIGNABLE_ID), decode("{\"type\":\"ack\",\"id\":18446744073709551615}"));
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

  // ---- names ----

  static Stream<String> pathTrickNames() {
    return Stream.of(".", "..", ".hidden", "...", "", "a/b", "a\\b", "x".repeat(129));
  }

  @ParameterizedTest
  @MethodSource("pathTrickNames")
  void aNameThatCouldBeAPathTrickIsInvalidNameForPublishTopicRegisterTopicAndGroup(String name) {
    String quoted = "\"" + name.replace("\\", "\\\\") + "\"";
    for (String json : List.of(
        "{\"type\":\"publish\",\"payload\":\"p\",\"topic\":" + quoted + "}",
        "{\"type\":\"register\",\"role\":\"producer\",\"topic\":" + quoted + "}",
        "{\"type\":\"register\",\"role\":\"consumer\",\"group\":" + quoted + "}",
        "{\"type\":\"history\",\"topic\":" + quoted + "}")) {
      FrameException error = assertThrows(FrameException.class, () -> decode(json), json);
      assertEquals(ErrorCode.INVALID_NAME, error.code(), json);
      assertTrue(error.getMessage().contains("not starting with a dot"), error.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.b", "-x", "_x", "x.", "a..b", "default", "0", "Orders_2024-01.eu"})
  void namesWithDotsInsideOrLeadingDashOrUnderscoreStayValid(String name) throws FrameException {
    assertEquals(new Frame.Publish("p", name, null, null, null),
        decode("{\"type\":\"publish\",\"payload\":\"p\",\"topic\":\"" + name + "\"}"));
    assertEquals(new Frame.Register(Frame.Role.CONSUMER, name, name, null, null, null, true),
        decode("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + name + "\",\"group\":\"" + name + "\"}"));
  }

  @Test
  void aNameOfExactly128CharactersIsValid() throws FrameException {
    String name = "n".repeat(128);
    assertEquals(new Frame.History(name, null, Frame.History.DEFAULT_LIMIT),
        decode("{\"type\":\"history\",\"topic\":\"" + name + "\"}"));
  }

  // ---- strict UTF-8 ----

  static Stream<Arguments> malformedUtf8() {
    return Stream.of(
        Arguments.of("overlong slash C0 AF", bytes(0xC0, 0xAF)),
        Arguments.of("overlong dot C0 AE", bytes(0xC0, 0xAE)),
        Arguments.of("overlong C1 BF", bytes(0xC1, 0xBF)),
        Arguments.of("overlong three-byte slash E0 80 AF", bytes(0xE0, 0x80, 0xAF)),
        Arguments.of("overlong four-byte F0 80 80 AF", bytes(0xF0, 0x80, 0x80, 0xAF)),
        Arguments.of("encoded high surrogate ED A0 80", bytes(0xED, 0xA0, 0x80)),
        Arguments.of("encoded low surrogate ED BF BF", bytes(0xED, 0xBF, 0xBF)),
        Arguments.of("encoded surrogate pair (CESU-8)", bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)),
        Arguments.of("above U+10FFFF F4 90 80 80", bytes(0xF4, 0x90, 0x80, 0x80)),
        Arguments.of("lead byte F5", bytes(0xF5, 0x80, 0x80, 0x80)),
        Arguments.of("byte FE", bytes(0xFE)),
        Arguments.of("byte FF", bytes(0xFF)),
        Arguments.of("lone continuation byte 80", bytes(0x80)),
        Arguments.of("lone continuation byte BF", bytes(0xBF)),
        Arguments.of("invalid second byte C3 28", bytes(0xC3, 0x28)),
        Arguments.of("truncated two-byte C3", bytes(0xC3)),
        Arguments.of("truncated three-byte E2 82", bytes(0xE2, 0x82)),
        Arguments.of("truncated four-byte F0 9F 98", bytes(0xF0, 0x9F, 0x98)),
        Arguments.of("five-byte form F8 88 80 80 80", bytes(0xF8, 0x88, 0x80, 0x80, 0x80)),
        Arguments.of("NUL byte", bytes(0x00)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedUtf8")
  void malformedUtf8AnywhereInTheBodyIsBadJson(String description, byte[] sequence) {
    byte[] inPayload = concat(ascii("{\"type\":\"publish\",\"payload\":\"ab"), sequence, ascii("cd\"}"));
    byte[] inKey = concat(ascii("{\"type\":\"publish\",\"k"), sequence, ascii("\":1,\"payload\":\"p\"}"));
    byte[] inLongAsciiRun = concat(ascii("{\"type\":\"publish\",\"payload\":\"" + "a".repeat(37)), sequence,
        ascii("a".repeat(29) + "\"}"));
    byte[] atTheEnd = concat(ascii("{\"type\":\"ok\"}"), sequence);
    for (byte[] body : List.of(inPayload, inKey, inLongAsciiRun, atTheEnd)) {
      assertBadJson(body, description);
    }
  }

  @Test
  void theOverlongDotInAKeyIsRefusedRatherThanReadAsADot() {
    // k\xC0\xAE would be "k." to a lenient decoder.
    assertBadJson(concat(ascii("{\"type\":\"publish\",\"payload\":\"p\",\"topic\":\"k"), bytes(0xC0, 0xAE), ascii("\"}")),
        "overlong dot in topic");
  }

  static Stream<Arguments> otherEncodings() {
    String json = "{\"type\":\"publish\",\"payload\":\"hi\"}";
    return Stream.of(
        Arguments.of("UTF-8 with a BOM", concat(bytes(0xEF, 0xBB, 0xBF), json.getBytes(UTF_8))),
        Arguments.of("UTF-16BE", json.getBytes(UTF_16BE)),
        Arguments.of("UTF-16LE", json.getBytes(UTF_16LE)),
        Arguments.of("UTF-16 with a BOM", json.getBytes(UTF_16)),
        Arguments.of("UTF-16LE with a BOM", concat(bytes(0xFF, 0xFE), json.getBytes(UTF_16LE))),
        Arguments.of("UTF-32BE", json.getBytes(Charset.forName("UTF-32BE"))),
        Arguments.of("UTF-32LE", json.getBytes(Charset.forName("UTF-32LE"))),
        Arguments.of("UTF-32BE with a BOM", concat(bytes(0x00, 0x00, 0xFE, 0xFF), json.getBytes(Charset.forName("UTF-32BE")))),
        Arguments.of("UTF-32LE with a BOM", concat(bytes(0xFF, 0xFE, 0x00, 0x00), json.getBytes(Charset.forName("UTF-32LE")))),
        Arguments.of("Latin-1", "{\"type\":\"publish\",\"payload\":\"caf\u00e9\"}".getBytes(ISO_8859_1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherEncodings")
  void aBodyInAnyEncodingButUtf8WithoutBomIsBadJson(String description, byte[] body) {
    assertBadJson(body, description);
  }

  @Test
  void everyWellFormedBoundaryCharacterIsAccepted() throws FrameException {
    // U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FEFF (not leading), U+FFFD, U+FFFF, U+10000, U+10FFFF
    String text = "\u0080\u07ff\u0800\ud7ff\ue000\ufeff\ufffd\uffff\ud800\udc00\udbff\udfff";
    assertEquals(new Frame.Publish(text), decode("{\"type\":\"publish\",\"payload\":\"" + text + "\"}"));
  }

  @Test
  void theUtf8CheckAgreesWithTheJdksStrictDecoderOnEveryShortSequence() {
    CharsetDecoder jdk = UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<byte[]> sequences = new ArrayList<>();
    for (int a = 1; a < 256; a++) {
      for (int b = 1; b < 256; b++) {
        sequences.add(bytes(a, b));
      }
    }
    int[] edges = {0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0};
    for (int a = 0xE0; a <= 0xF4; a++) {
      for (int b = 1; b < 256; b++) {
        for (int c : edges) {
          sequences.add(bytes(a, b, c));
          for (int d : edges) {
            sequences.add(bytes(a, b, c, d));
          }
        }
      }
    }
    for (byte[] sequence : sequences) {
      // Padded with ASCII on both sides so that the eight-bytes-at-a-time path meets it too.
      byte[] body = concat(ascii("abcdefghi"), sequence, ascii("jklmnopqr"));
      boolean jdkAccepts;
      try {
        jdk.decode(ByteBuffer.wrap(body));
        jdkAccepts = true;
      } catch (CharacterCodingException e) {
        jdkAccepts = false;
      }
      boolean accepted;
      try {
        StrictText.check(body);
        accepted = true;
      } catch (FrameException e) {
        accepted = false;
      }
      assertEquals(jdkAccepts, accepted, () -> HexFormat.ofDelimiter(" ").formatHex(sequence));
    }
  }

  // ---- duplicate keys ----

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"ack\",\"type\":\"publish\",\"payload\":\"x\"}",
      "{\"type\":\"publish\",\"type\":\"publish\",\"payload\":\"x\"}",
      "{\"type\":\"publish\",\"payload\":\"a\",\"payload\":\"b\"}",
      "{\"type\":\"ack\",\"id\":1,\"id\":2}",
      "{\"type\":\"publish\",\"payload\":\"p\",\"headers\":{\"h\":\"1\",\"h\":\"2\"}}",
      "{\"type\":\"publish\",\"payload\":\"p\",\"extra\":1,\"extra\":2}",
      "{\"type\":\"publish\",\"payload\":\"p\",\"extra\":{\"a\":1,\"b\":{\"c\":1,\"c\":2}}}",
      "{\"type\":\"publish\",\"payload\":\"p\",\"extra\":[{\"a\":1,\"a\":1}]}"})
  void aDuplicateKeyInAnyObjectIsBadJson(String json) {
    assertBadJson(json.getBytes(UTF_8), json);
  }

  @Test
  void theSameKeyInDifferentObjectsIsNoDuplicate() throws FrameException {
    assertEquals(new Frame.Publish("p", null, null, Map.of("payload", "x"), null),
        decode("{\"type\":\"publish\",\"payload\":\"p\",\"headers\":{\"payload\":\"x\"},\"x\":{\"type\":1,\"payload\":2}}"));
  }

  @Test
  void aHugeDuplicateKeyIsNotEchoedWhole() {
    String key = "k".repeat(100_000);
    FrameException error = assertThrows(FrameException.class,
        () -> decode("{\"type\":\"ok\",\"" + key + "\":1,\"" + key + "\":2}"));
    assertEquals(ErrorCode.BAD_JSON, error.code());
    assertTrue(error.getMessage().length() < 300, error.getMessage().length() + " chars");
  }

  // ---- unpaired surrogate escapes ----

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"publish\",\"payload\":\"\\ud800\"}",
      "{\"type\":\"publish\",\"payload\":\"\\uDBFF\"}",
      "{\"type\":\"publish\",\"payload\":\"a\\udc00b\"}",
      "{\"type\":\"publish\",\"payload\":\"\\udc00\\ud800\"}",
      "{\"type\":\"publish\",\"payload\":\"\\ud800\\u0041\"}",
      "{\"type\":\"publish\",\"payload\":\"\\ud800\\ud800\\udc00\"}",
      "{\"type\":\"publish\",\"payload\":\"\\ud800x\\udc00\"}",
      "{\"type\":\"publish\",\"payload\":\"p\",\"key\":\"\\ud800\"}",
      "{\"type\":\"publish\",\"payload\":\"p\",\"headers\":{\"\\udfff\":\"v\"}}",
      "{\"type\":\"publish\",\"payload\":\"p\",\"ignored\":[\"\\ud800\"]}",
      "{\"type\":\"register\",\"role\":\"consumer\",\"client\":\"\\ud800\"}",
      "{\"type\":\"ack\",\"\\ud800\":1,\"id\":1}"})
  void anUnpairedSurrogateEscapeAnywhereIsBadJson(String json) {
    assertBadJson(json.getBytes(UTF_8), json);
  }

  @Test
  void anEscapedBackslashBeforeUd800IsPlainTextNotASurrogate() throws FrameException {
    assertEquals(new Frame.Publish("\\ud800 \\\\udc00"),
        decode("{\"type\":\"publish\",\"payload\":\"\\\\ud800 \\\\\\\\udc00\"}"));
  }

  @Test
  void aPairedSurrogateEscapeIsOneCharacter() throws FrameException {
    assertEquals(new Frame.Publish("\ud83d\ude80\udbff\udfff"),
        decode("{\"type\":\"publish\",\"payload\":\"\\ud83d\\ude80\\uDBFF\\uDFFF\"}"));
  }

  // ---- frame types a client may not send ----

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"message\"}",
      "{\"type\":\"message\",\"id\":1,\"payload\":\"forged\"}",
      "{\"type\":\"ok\"}",
      "{\"type\":\"error\",\"message\":\"m\",\"code\":\"bad_json\"}",
      "{\"type\":\"stats_reply\",\"broker\":{}}",
      "{\"type\":\"history_reply\",\"messages\":[1]}"})
  void aFrameOnlyTheBrokerSendsIsUnknownTypeFromAClientWhateverItsFields(String json) {
    FrameException error = assertThrows(FrameException.class,
        () -> FrameCodec.decode(Buffer.buffer(json.getBytes(UTF_8)), FrameCodec.Accept.FROM_CLIENTS));
    assertEquals(ErrorCode.UNKNOWN_TYPE, error.code(), error.getMessage());
    assertTrue(error.getMessage().contains("only the broker"), error.getMessage());
  }

  @Test
  void everyFrameAClientSendsDecodesFromAClient() throws FrameException {
    for (Frame frame : List.of(new Frame.Register(Frame.Role.PRODUCER), new Frame.Publish("p"), new Frame.Ack(1),
        new Frame.Credit(3), new Frame.Stats(), new Frame.History("t", 4L, 5))) {
      Buffer encoded = FrameCodec.encode(frame);
      assertEquals(frame, FrameCodec.decode(encoded.getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, encoded.length()),
          FrameCodec.Accept.FROM_CLIENTS));
    }
  }

  private static Frame decode(String json) throws FrameException {
    return FrameCodec.decode(Buffer.buffer(json.getBytes(UTF_8)));
  }

  private static void assertBadJson(byte[] body, String description) {
    FrameException error = assertThrows(FrameException.class, () -> FrameCodec.decode(Buffer.buffer(body)), description);
    assertEquals(ErrorCode.BAD_JSON, error.code(), () -> description + ": " + error.getMessage());
    assertFalse(error.getMessage().isBlank(), "the error carries a sentence for the peer");
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
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
