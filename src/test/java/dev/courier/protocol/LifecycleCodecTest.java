package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The message life cycle's frames and fields (docs/PROTOCOL.md, "Message life cycle"), byte for byte. */
class LifecycleCodecTest {

  private static Frame decode(String json) throws FrameException {
    return FrameCodec.decode(Buffer.buffer(json), FrameCodec.Accept.ANY);
  }

  private static Frame decodeFromClient(String json) throws FrameException {
    return FrameCodec.decode(Buffer.buffer(json), FrameCodec.Accept.FROM_CLIENTS);
  }

  private static String encoded(Frame frame) {
    Buffer b = FrameCodec.encode(frame);
    return b.getString(FrameCodec.LENGTH_PREFIX_BYTES, b.length());
  }

  /** Encodes to exactly {@code json} and decodes from it to {@code frame}. */
  private static void assertWire(String json, Frame frame) throws FrameException {
    assertEquals(json, encoded(frame));
    assertEquals(frame, decode(json));
  }

  private static FrameException rejected(ErrorCode code, String json) {
    FrameException e = assertThrows(FrameException.class, () -> decodeFromClient(json), json);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  private static void assertBadRequestNaming(String field, String json) {
    FrameException e = rejected(ErrorCode.BAD_REQUEST, json);
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }

  // ---- nack, touch ----

  @Test
  void nackIsTheIdAloneOrWithADelay() throws FrameException {
    assertWire("{\"type\":\"nack\",\"id\":7}", new Frame.Nack(7, null));
    assertWire("{\"type\":\"nack\",\"id\":7,\"delay_ms\":1500}", new Frame.Nack(7, 1500L));
    assertEquals(new Frame.Nack(7, null), decodeFromClient("{\"type\":\"nack\",\"id\":7,\"delay_ms\":null}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"nack\"}", "{\"type\":\"nack\",\"id\":-1}", "{\"type\":\"nack\",\"id\":\"7\"}",
      "{\"type\":\"nack\",\"id\":1.5}"})
  void nackWithoutAU64IdIsBadRequest(String json) {
    assertBadRequestNaming("id", json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "31536000001", "\"10\"", "1.5", "true", "99999999999999999999"})
  void nackDelayOutsideZeroToAYearIsBadRequest(String delay) {
    assertBadRequestNaming("delay_ms", "{\"type\":\"nack\",\"id\":1,\"delay_ms\":" + delay + "}");
  }

  @Test
  void touchIsTheIdAlone() throws FrameException {
    assertWire("{\"type\":\"touch\",\"id\":42}", new Frame.Touch(42));
    assertEquals(new Frame.Touch(42), decodeFromClient("{\"type\":\"touch\",\"id\":42,\"delay_ms\":5}"));
    assertBadRequestNaming("id", "{\"type\":\"touch\"}");
  }

  // ---- redrive ----

  @Test
  void redriveNamesTheDeadLetterTopicAndMayLimitTheCount() throws FrameException {
    assertWire("{\"type\":\"redrive\",\"topic\":\"orders.dlq\"}", new Frame.Redrive("orders.dlq", null));
    assertWire("{\"type\":\"redrive\",\"topic\":\"orders.dlq\",\"limit\":10}", new Frame.Redrive("orders.dlq", 10));
    assertEquals(new Frame.Redrive("d", Integer.MAX_VALUE),
        decodeFromClient("{\"type\":\"redrive\",\"topic\":\"d\",\"limit\":9000000000}"));
  }

  @Test
  void redriveWithoutATopicIsBadRequestAndWithABadNameInvalidName() {
    assertBadRequestNaming("topic", "{\"type\":\"redrive\"}");
    assertBadRequestNaming("topic", "{\"type\":\"redrive\",\"topic\":null}");
    rejected(ErrorCode.INVALID_NAME, "{\"type\":\"redrive\",\"topic\":\"no spaces\"}");
    rejected(ErrorCode.INVALID_NAME, "{\"type\":\"redrive\",\"topic\":5}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "\"5\"", "2.0"})
  void redriveLimitBelowOneOrNotAnIntegerIsBadRequest(String limit) {
    assertBadRequestNaming("limit", "{\"type\":\"redrive\",\"topic\":\"d\",\"limit\":" + limit + "}");
  }

  @Test
  void redriveReplyCarriesTheCountAndOnlyTheBrokerSendsIt() throws FrameException {
    assertWire("{\"type\":\"redrive_reply\",\"moved\":3}", new Frame.RedriveReply(3));
    assertThrows(FrameException.class, () -> decode("{\"type\":\"redrive_reply\",\"moved\":-1}"));
    rejected(ErrorCode.UNKNOWN_TYPE, "{\"type\":\"redrive_reply\",\"moved\":3}");
  }

  // ---- ok ----

  @Test
  void okKeepsTheSeedBytesAndGainsTheIdAndDuplicateOnlyWhenGiven() throws FrameException {
    assertWire("{\"type\":\"ok\"}", Frame.Ok.INSTANCE);
    assertWire("{\"type\":\"ok\",\"id\":12}", new Frame.Ok(12L, false));
    assertWire("{\"type\":\"ok\",\"id\":12,\"duplicate\":true}", new Frame.Ok(12L, true));
    assertEquals(new Frame.Ok(12L, false), decode("{\"type\":\"ok\",\"id\":12,\"duplicate\":false}"));
    assertEquals(Frame.Ok.INSTANCE, new Frame.Ok());
  }

  @Test
  void aMistypedOkIsBadRequestOnTheClientsSide() {
    assertEquals(ErrorCode.BAD_REQUEST,
        assertThrows(FrameException.class, () -> decode("{\"type\":\"ok\",\"id\":\"12\"}")).code());
    assertEquals(ErrorCode.BAD_REQUEST,
        assertThrows(FrameException.class, () -> decode("{\"type\":\"ok\",\"id\":1,\"duplicate\":1}")).code());
  }

  // ---- publish ----

  @Test
  void publishWritesTheLifeCycleFieldsAfterTheSeedOnesInOrder() throws FrameException {
    assertWire("{\"type\":\"publish\",\"payload\":\"p\",\"topic\":\"t\",\"delay_ms\":500,\"ttl_ms\":60000,"
        + "\"dedup_id\":\"order-17\"}", new Frame.Publish("p", "t", null, null, null, 500L, null, 60000L, "order-17"));
    assertWire("{\"type\":\"publish\",\"payload\":\"p\",\"deliver_at\":1764590400000}",
        new Frame.Publish("p", null, null, null, null, null, 1764590400000L, null, null));
  }

  @Test
  void aSeedPublishHasNoLifeCycleFieldsAndEncodesAsBefore() throws FrameException {
    Frame.Publish seed = (Frame.Publish) decodeFromClient("{\"type\":\"publish\",\"payload\":\"hello\"}");
    assertFalse(seed.hasLifecycleFields());
    assertEquals("{\"type\":\"publish\",\"payload\":\"hello\"}", encoded(seed));
    Frame.Publish old = new Frame.Publish("p", "t", "k", Map.of("h", "v"), null);
    assertNull(old.delayMs());
    assertFalse(old.hasLifecycleFields());
    assertTrue(new Frame.Publish("p", null, null, null, null, null, null, null, "x").hasLifecycleFields());
  }

  @Test
  void publishLifeCycleFieldsGivenAsNullAreAbsent() throws FrameException {
    assertEquals(new Frame.Publish("p"), decodeFromClient(
        "{\"type\":\"publish\",\"payload\":\"p\",\"delay_ms\":null,\"deliver_at\":null,\"ttl_ms\":null,\"dedup_id\":null}"));
  }

  @Test
  void publishAcceptsTheBoundsOfEachRange() throws FrameException {
    Frame.Publish low = (Frame.Publish) decodeFromClient("{\"type\":\"publish\",\"payload\":\"p\",\"delay_ms\":0,\"ttl_ms\":1}");
    assertEquals(0L, low.delayMs());
    assertEquals(1L, low.ttlMs());
    Frame.Publish high = (Frame.Publish) decodeFromClient("{\"type\":\"publish\",\"payload\":\"p\",\"deliver_at\":"
        + Frame.Publish.MAX_DELIVER_AT + ",\"ttl_ms\":" + Frame.Publish.MAX_DELAY_MS + "}");
    assertEquals(Frame.Publish.MAX_DELIVER_AT, high.deliverAt());
    assertEquals(Frame.Publish.MAX_DELAY_MS, high.ttlMs());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "31536000001", "\"5\"", "5.0", "false", "[1]", "18446744073709551615"})
  void publishDelayOutsideZeroToAYearIsBadRequest(String delay) {
    assertBadRequestNaming("delay_ms", "{\"type\":\"publish\",\"payload\":\"p\",\"delay_ms\":" + delay + "}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "253402300800000", "\"2026-12-01\"", "1.7e12"})
  void publishDeliverAtOutsideEpochZeroToYear9999IsBadRequest(String at) {
    assertBadRequestNaming("deliver_at", "{\"type\":\"publish\",\"payload\":\"p\",\"deliver_at\":" + at + "}");
  }

  @Test
  void publishWithBothDelayAndDeliverAtIsBadRequest() {
    FrameException e = rejected(ErrorCode.BAD_REQUEST,
        "{\"type\":\"publish\",\"payload\":\"p\",\"delay_ms\":5,\"deliver_at\":1764590400000}");
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "31536000001", "\"60s\"", "{}"})
  void publishTtlOutsideOneMsToAYearIsBadRequest(String ttl) {
    assertBadRequestNaming("ttl_ms", "{\"type\":\"publish\",\"payload\":\"p\",\"ttl_ms\":" + ttl + "}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "7", "true", "[\"a\"]"})
  void publishDedupIdThatIsNotANonEmptyStringIsBadRequest(String id) {
    assertBadRequestNaming("dedup_id", "{\"type\":\"publish\",\"payload\":\"p\",\"dedup_id\":" + id + "}");
  }

  @Test
  void publishDedupIdIsBoundedInUtf8Bytes() throws FrameException {
    String fits = "é".repeat(Frame.Publish.MAX_DEDUP_ID_BYTES / 2);
    assertEquals(fits, ((Frame.Publish) decodeFromClient(
        "{\"type\":\"publish\",\"payload\":\"p\",\"dedup_id\":\"" + fits + "\"}")).dedupId());
    assertBadRequestNaming("dedup_id", "{\"type\":\"publish\",\"payload\":\"p\",\"dedup_id\":\"" + fits + "x\"}");
  }

  // ---- register ----

  @Test
  void registerCarriesTheGroupsDeadLetterSettingsAndMarksTheClientExtended() throws FrameException {
    Frame.Register r = new Frame.Register(Frame.Role.CONSUMER, "orders", "billing", null, null, null, true, null, null,
        5, "orders.failed");
    assertWire("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"orders\",\"group\":\"billing\","
        + "\"max_deliveries\":5,\"dead_letter_topic\":\"orders.failed\"}", r);
    Frame.Register only = (Frame.Register) decodeFromClient("{\"type\":\"register\",\"role\":\"consumer\",\"max_deliveries\":0}");
    assertEquals(0, only.maxDeliveries());
    assertTrue(only.extended(), "a client that knows these fields reads the extended message fields");
  }

  @Test
  void aSeedRegisterHasNoDeadLetterSettings() throws FrameException {
    Frame.Register seed = (Frame.Register) decodeFromClient("{\"type\":\"register\",\"role\":\"consumer\"}");
    assertEquals(new Frame.Register(Frame.Role.CONSUMER), seed);
    assertNull(seed.maxDeliveries());
    assertNull(seed.deadLetterTopic());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "2147483648", "\"3\"", "3.0"})
  void registerMaxDeliveriesOutsideZeroToIntMaxIsBadRequest(String n) {
    assertBadRequestNaming("max_deliveries", "{\"type\":\"register\",\"role\":\"consumer\",\"max_deliveries\":" + n + "}");
  }

  @Test
  void registerDeadLetterTopicFollowsTheNameRule() {
    rejected(ErrorCode.INVALID_NAME, "{\"type\":\"register\",\"role\":\"consumer\",\"dead_letter_topic\":\"a b\"}");
    rejected(ErrorCode.INVALID_NAME, "{\"type\":\"register\",\"role\":\"consumer\",\"dead_letter_topic\":3}");
  }

  @Test
  void aProducerMayNotDescribeAGroup() {
    assertBadRequestNaming("max_deliveries", "{\"type\":\"register\",\"role\":\"producer\",\"max_deliveries\":3}");
    assertBadRequestNaming("dead_letter_topic", "{\"type\":\"register\",\"role\":\"producer\",\"dead_letter_topic\":\"d\"}");
  }
}
