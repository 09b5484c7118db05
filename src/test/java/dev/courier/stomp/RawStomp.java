package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A STOMP peer on a plain socket, for transcripts of what a client library would never send:
 * write these bytes, expect that frame, expect the close. Reads block with a deadline.
 */
final class RawStomp implements AutoCloseable {
  /** Long enough for a loopback broker; a hung read fails the test instead of hanging it. */
  private static final int READ_TIMEOUT_MS = 5_000;

  record Received(String command, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawStomp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends text as is: the caller writes the NUL and escapes. */
  RawStomp sendRaw(String text) throws IOException {
    return sendRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  RawStomp sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** A frame: command, then "name:value" header lines, the body and the NUL. */
  RawStomp send(String command, String body, String... headers) throws IOException {
    StringBuilder frame = new StringBuilder(command).append('\n');
    for (String header : headers) {
      frame.append(header).append('\n');
    }
    return sendRaw(frame.append('\n').append(body).append('\0').toString());
  }

  /** CONNECT as a 1.2 client without heart-beats; returns the CONNECTED frame. */
  Received connect() throws IOException {
    send("CONNECT", "", "accept-version:1.2", "host:localhost");
    Received connected = receive();
    assertEquals("CONNECTED", connected.command(), connected.toString());
    return connected;
  }

  /** The next frame, heart-beat EOLs skipped. */
  Received receive() throws IOException {
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
      body.write(in.readNBytes(Integer.parseInt(length)));
      assertEquals(0, in.read(), "a frame ends with NUL");
    } else {
      for (int b = read(); b != 0; b = read()) {
        body.write(b);
      }
    }
    return new Received(command, headers, body.toByteArray());
  }

  /**
   * Waits up to {@code timeoutMs} for one heart-beat EOL from the broker; true if it came. Only
   * between frames: anything else read is a failure.
   */
  boolean awaitHeartBeat(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      int b = in.read();
      assertEquals('\n', b, "only heart-beats are expected here");
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } finally {
      socket.setSoTimeout(READ_TIMEOUT_MS);
    }
  }

  /** True once the broker closed the socket (reads end), within the read deadline. */
  boolean isClosedByPeer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the peer: closed as well
    }
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
    int b = in.read();
    if (b < 0) {
      throw new IOException("the broker closed the connection");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
