package dev.courier.stomp;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.stomp.Command;
import io.vertx.ext.stomp.Frame;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The frames the listener answers with. */
final class StompFrames {
  private StompFrames() {}

  /** A RECEIPT for {@code frame}, or null when it asked for none. */
  static Frame receipt(Frame frame) {
    String receipt = frame.getHeader(Frame.RECEIPT);
    if (receipt == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(Frame.RECEIPT_ID, receipt);
    return new Frame(Command.RECEIPT, headers, null);
  }

  /** A SEND's RECEIPT naming the stored message's id, as a Courier {@code ok} answers a life-cycle publish. */
  static Frame receipt(Frame frame, long id, boolean duplicate) {
    Frame receipt = receipt(frame);
    if (receipt != null) {
      receipt.getHeaders().put(StompHeaders.RECEIPT_ID, Long.toString(id));
      if (duplicate) {
        receipt.getHeaders().put(StompHeaders.DUPLICATE, "true");
      }
    }
    return receipt;
  }

  /** An ERROR with {@code message}, carrying the receipt-id of {@code cause} (null: none) as STOMP 1.2 asks. */
  static Frame error(String message, Frame cause) {
    Map<String, String> headers = new LinkedHashMap<>();
    // A header is one line: a message naming what the peer sent must not break the frame.
    headers.put(Frame.MESSAGE, message.replace('\n', ' ').replace('\r', ' '));
    if (cause != null && cause.getHeader(Frame.RECEIPT) != null) {
      headers.put(Frame.RECEIPT_ID, cause.getHeader(Frame.RECEIPT));
    }
    Buffer body = Buffer.buffer(message, StandardCharsets.UTF_8.name());
    headers.put(Frame.CONTENT_TYPE, "text/plain");
    headers.put(Frame.CONTENT_LENGTH, Integer.toString(body.length()));
    return new Frame(Command.ERROR, headers, body);
  }
}
