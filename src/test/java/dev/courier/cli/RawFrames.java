package dev.courier.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Seed frames over a plain blocking socket, for tests that talk to a broker process. */
final class RawFrames {
  /** A broker on this machine answers in milliseconds; this only bounds a hung one. */
  private static final int READ_TIMEOUT_MS = 10_000;

  private RawFrames() {}

  static void send(Socket socket, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    // One write for prefix and body, as most clients do; a prefix alone makes the body wait for budget.
    socket.getOutputStream().write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
  }

  static String receive(Socket socket) throws IOException {
    socket.setSoTimeout(READ_TIMEOUT_MS);
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return new String(body, StandardCharsets.UTF_8);
  }
}
