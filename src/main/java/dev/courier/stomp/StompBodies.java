package dev.courier.stomp;

import dev.courier.core.Message;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A STOMP body as a Courier payload and back. Courier payloads are text; a body that is valid
 * UTF-8 is kept as that text, any other is kept as base64 with the message's base64 flag, so that
 * Courier-protocol consumers get it as base64 (docs/PROTOCOL.md) and STOMP consumers get the exact
 * bytes back either way.
 */
final class StompBodies {
  private StompBodies() {}

  /** The payload for a body; {@link Payload#base64()} says whether it had to be encoded. */
  static Payload payload(Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      return new Payload(text, false);
    } catch (CharacterCodingException e) {
      return new Payload(Base64.getEncoder().encodeToString(bytes), true);
    }
  }

  /** The exact bytes a message's payload stands for. */
  static Buffer body(Message message) {
    if (message.base64()) {
      try {
        return Buffer.buffer(Base64.getDecoder().decode(message.payload()));
      } catch (IllegalArgumentException e) {
        // Not base64 after all: the text as it was stored is the most faithful body there is.
      }
    }
    return Buffer.buffer(message.payload().getBytes(StandardCharsets.UTF_8));
  }

  record Payload(String text, boolean base64) {}
}
