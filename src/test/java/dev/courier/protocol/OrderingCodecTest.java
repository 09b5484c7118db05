package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ordering fields (docs/PROTOCOL.md, "Ordering"): register's ordering, message's active, byte for byte. */
class OrderingCodecTest {

  private static Frame decodeFromClient(String json) throws FrameException {
    return FrameCodec.decode(Buffer.buffer(json), FrameCodec.Accept.FROM_CLIENTS);
  }

  private static String encoded(Frame frame) {
    Buffer b = FrameCodec.encode(frame);
    return b.getString(FrameCodec.LENGTH_PREFIX_BYTES, b.length());
  }

  private static void assertBadRequestNaming(String field, String json) {
    FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(Buffer.buffer(json)), json);
    assertEquals(ErrorCode.BAD_REQUEST, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "key", "single"})
  void registerCarriesTheOrderingItsGroupIsCreatedWithAndMarksTheClientExtended(String wire) throws FrameException {
    String json = "{\"type\":\"register\",\"role\":\"consumer\",\"ordering\":\"" + wire + "\"}";
    Frame.Register register = (Frame.Register) decodeFromClient(json);
    assertEquals(Frame.Ordering.fromWire(wire), register.ordering());
    assertEquals(wire, register.ordering().wireName());
    assertTrue(register.extended(), "a client that knows ordering reads the extended message fields");
    assertEquals(json, encoded(register));
  }

  @Test
  void aSeedRegisterAndANullOrderingAskForNoOrdering() throws FrameException {
    assertNull(((Frame.Register) decodeFromClient("{\"type\":\"register\",\"role\":\"consumer\"}")).ordering());
    assertEquals(new Frame.Register(Frame.Role.CONSUMER),
        decodeFromClient("{\"type\":\"register\",\"role\":\"consumer\",\"ordering\":null}"));
    assertEquals("{\"type\":\"register\",\"role\":\"consumer\"}", encoded(new Frame.Register(Frame.Role.CONSUMER)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"fifo\"", "\"KEY\"", "1", "true", "{}"})
  void anUnknownOrderingIsBadRequest(String value) {
    assertBadRequestNaming("ordering", "{\"type\":\"register\",\"role\":\"consumer\",\"ordering\":" + value + "}");
  }

  @Test
  void aProducerMayNotAskForAnOrdering() {
    assertBadRequestNaming("ordering", "{\"type\":\"register\",\"role\":\"producer\",\"ordering\":\"key\"}");
  }

  @Test
  void anActiveConsumersMessageSaysSoAndOthersCarryNoActiveField() throws FrameException {
    Frame.Message active = new Frame.Message(3, "p", new Frame.MessageDetails("t", 1, 5, null, null, null, true));
    String json = "{\"type\":\"message\",\"id\":3,\"payload\":\"p\",\"topic\":\"t\",\"attempt\":1,\"timestamp\":5,"
        + "\"active\":true}";
    assertEquals(json, encoded(active));
    assertEquals(active, FrameCodec.decode(Buffer.buffer(json)));
    Frame.Message plain = new Frame.Message(3, "p", new Frame.MessageDetails("t", 1, 5, null, null, null));
    assertEquals("{\"type\":\"message\",\"id\":3,\"payload\":\"p\",\"topic\":\"t\",\"attempt\":1,\"timestamp\":5}",
        encoded(plain));
  }

  @Test
  void aMistypedActiveIsBadRequest() {
    assertBadRequestNaming("active", "{\"type\":\"message\",\"id\":3,\"payload\":\"p\",\"topic\":\"t\",\"active\":1}");
  }
}
