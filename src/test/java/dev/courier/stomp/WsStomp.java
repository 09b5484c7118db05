package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A STOMP peer over a WebSocket to the HTTP listener's {@code /stomp}, as a browser page is: each
 * frame goes out as one text message (as stompjs sends them); what comes back is read as one byte
 * stream, whatever the message boundaries. Reads block with a deadline.
 */
final class WsStomp implements AutoCloseable {
  /** Long enough for a loopback broker; a hung read fails the test instead of hanging it. */
  private static final long READ_TIMEOUT_MS = 5_000;
  /** Put in the queue when the broker closes the WebSocket. */
  private static final Buffer CLOSED = Buffer.buffer();

  private final WebSocketClient client;
  private final WebSocket webSocket;
  private final BlockingQueue<Buffer> chunks = new LinkedBlockingQueue<>();
  private Buffer current = Buffer.buffer();
  private int position;

  WsStomp(Vertx vertx, int httpPort, String... subProtocols) {
    client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(httpPort)
        .setURI("/stomp");
    for (String subProtocol : subProtocols) {
      options.addSubProtocol(subProtocol);
    }
    webSocket = client.connect(options).await();
    webSocket.handler(chunks::add);
    webSocket.closeHandler(v -> chunks.add(CLOSED));
  }

  /** The subprotocol the broker chose; null if none. */
  String subProtocol() {
    return webSocket.subProtocol();
  }

  /** A frame as one text message: command, "name:value" header lines, the body and the NUL. */
  WsStomp send(String command, String body, String... headers) {
    StringBuilder frame = new StringBuilder(command).append('\n');
    for (String header : headers) {
      frame.append(header).append('\n');
    }
    webSocket.writeTextMessage(frame.append('\n').append(body).append('\0').toString()).await();
    return this;
  }

  /** Bytes as one binary message, as they are. */
  WsStomp sendBinary(byte[] bytes) {
    webSocket.writeBinaryMessage(Buffer.buffer(bytes)).await();
    return this;
  }

  RawStomp.Received connect() throws IOException {
    send("CONNECT", "", "accept-version:1.2", "host:localhost");
    RawStomp.Received connected = receive();
    assertEquals("CONNECTED", connected.command(), connected.toString());
    return connected;
  }

  /** The next frame, heart-beat EOLs skipped. */
  RawStomp.Received receive() throws IOException {
    String command;
    do {
      command = line();
    } while (command.isEmpty());
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (length != null) {
      for (int i = Integer.parseInt(length); i > 0; i--) {
        body.write(read());
      }
      assertEquals(0, read(), "a frame ends with NUL");
    } else {
      for (int b = read(); b != 0; b = read()) {
        body.write(b);
      }
    }
    return new RawStomp.Received(command, headers, body.toByteArray());
  }

  /** True once the broker closed the WebSocket, within the read deadline; frames before it are skipped. */
  boolean isClosedByPeer() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS);
    for (long left = READ_TIMEOUT_MS; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
      if (chunks.poll(left, TimeUnit.MILLISECONDS) == CLOSED) {
        return true;
      }
    }
    return false;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = read(); b != '\n'; b = read()) {
      line.write(b);
    }
    String text = line.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private int read() throws IOException {
    while (position >= current.length()) {
      Buffer next;
      try {
        next = chunks.poll(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (next == null) {
        throw new IOException("nothing from the broker within " + READ_TIMEOUT_MS + " ms");
      }
      if (next == CLOSED) {
        throw new IOException("the broker closed the WebSocket");
      }
      current = next;
      position = 0;
    }
    return current.getUnsignedByte(position++);
  }

  @Override
  public void close() {
    client.close().await();
  }
}
