package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The register frame's {@code user} and {@code password} (docs/PROTOCOL.md, docs/SECURITY.md). */
class RegisterCredentialsCodecTest {

  private static Frame decode(String json) throws FrameException {
    return FrameCodec.decode(Buffer.buffer(json));
  }

  @Test
  void credentialsAreReadAndDoNotMakeTheClientExtended() throws FrameException {
    Frame.Register register = (Frame.Register) decode(
        "{\"type\":\"register\",\"role\":\"consumer\",\"user\":\"alice\",\"password\":\"pw\"}");
    assertEquals(new Frame.Register(Frame.Role.CONSUMER, null, null, null, null, null, false, "alice", "pw"), register);
    assertTrue(register.hasCredentials());
    assertFalse(register.extended(), "a seed client adding credentials keeps seed-shaped messages");
  }

  @Test
  void aRegisterWithoutCredentialsHasNone() throws FrameException {
    assertFalse(((Frame.Register) decode("{\"type\":\"register\",\"role\":\"producer\"}")).hasCredentials());
  }

  @Test
  void mistypedCredentialsAreBadRequest() {
    FrameException e = assertThrows(FrameException.class,
        () -> decode("{\"type\":\"register\",\"role\":\"producer\",\"user\":\"a\",\"password\":7}"));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertTrue(e.getMessage().contains("password"), e.getMessage());
  }

  @Test
  void credentialsSurviveEncodingAndThePasswordNeverReachesToString() throws FrameException {
    Frame.Register register = new Frame.Register(Frame.Role.PRODUCER, "orders", null, null, null, null, true, "bob", "hunter2");
    assertEquals(register, decode(FrameCodec.encode(register).getString(4, FrameCodec.encode(register).length())));
    assertFalse(register.toString().contains("hunter2"), register.toString());
    assertTrue(register.toString().contains("user=bob"), register.toString());
  }
}
