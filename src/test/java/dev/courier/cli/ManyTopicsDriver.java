package dev.courier.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Not a test: a measurement for issue 8 (topic creation must cost O(1) each). Creates
 * {@code count} topics against a running broker, one publish each, waiting for each {@code ok}, and
 * prints the time every thousand took. Run against a fat-jar broker:
 * {@code java -cp target/test-classes dev.courier.cli.ManyTopicsDriver PORT 10000}.
 */
public final class ManyTopicsDriver {
  private ManyTopicsDriver() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      send(out, "{\"type\":\"register\",\"role\":\"producer\"}");
      long start = System.nanoTime();
      long thousandStart = start;
      for (int i = 1; i <= count; i++) {
        send(out, "{\"type\":\"publish\",\"topic\":\"t" + i + "\",\"payload\":\"p\"}");
        String reply = receive(in);
        if (!reply.contains("\"ok\"")) {
          throw new IOException("publish to t" + i + " answered " + reply);
        }
        if (i % 1000 == 0) {
          long now = System.nanoTime();
          System.out.printf("topics %6d: this thousand %6d ms, total %7d ms%n", i, (now - thousandStart) / 1_000_000,
              (now - start) / 1_000_000);
          thousandStart = now;
        }
      }
    }
  }

  private static void send(DataOutputStream out, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  private static String receive(DataInputStream in) throws IOException {
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return new String(body, StandardCharsets.UTF_8);
  }
}
