package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A STOMP SEND's RECEIPT is a publisher confirm (docs/STOMP.md): after SIGKILL (no drain, no
 * storage close) and a restart on the same data_dir, every SEND that got its RECEIPT is delivered.
 */
@Timeout(120)
class StompKillNineIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final int SENT = 300;
  private static final Pattern STOMP_PORT = Pattern.compile("STOMP listener bound to 127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path dataDir;

  @Test
  void everyReceiptedSendIsDeliveredAfterSigkillAndARestart() throws Exception {
    String dataDirSetting = "data_dir=" + dataDir;
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "stomp_port=0",
        "--set", dataDirSetting)) {
      int port = Integer.parseInt(broker.awaitLine(STOMP_PORT, START).group(1));
      broker.awaitListeningPort(START);
      try (Socket socket = connect(port)) {
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        for (int i = 0; i < SENT; i++) {
          out.write(("SEND\ndestination:/queue/kept\nreceipt:r" + i + "\n\nm" + i + "\0").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        for (int i = 0; i < SENT; i++) {
          Map<String, String> receipt = read(in);
          assertEquals("RECEIPT", receipt.get(""), receipt.toString());
          assertEquals("r" + i, receipt.get("receipt-id"));
        }
      }
      broker.kill();
    }

    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "stomp_port=0",
        "--set", dataDirSetting)) {
      int port = Integer.parseInt(broker.awaitLine(STOMP_PORT, START).group(1));
      broker.awaitListeningPort(START);
      try (Socket socket = connect(port)) {
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        out.write("SUBSCRIBE\nid:s\ndestination:/queue/kept\nack:auto\n\n\0".getBytes(StandardCharsets.UTF_8));
        out.flush();
        TreeSet<String> bodies = new TreeSet<>();
        while (bodies.size() < SENT) {
          Map<String, String> message = read(in);
          assertEquals("MESSAGE", message.get(""), message.toString());
          bodies.add(message.get("body"));
        }
        for (int i = 0; i < SENT; i++) {
          assertTrue(bodies.contains("m" + i), "m" + i + " was confirmed and is lost");
        }
      }
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0".getBytes(StandardCharsets.UTF_8));
    Map<String, String> connected = read(new BufferedInputStream(socket.getInputStream(), 1));
    assertEquals("CONNECTED", connected.get(""), connected.toString());
    return socket;
  }

  /** One frame: its command under "", its headers, its body (as text) under "body". */
  private static Map<String, String> read(InputStream in) throws IOException {
    Map<String, String> frame = new HashMap<>();
    String command;
    do {
      command = line(in);
    } while (command.isEmpty());
    frame.put("", command);
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      frame.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int b = in.read(); b > 0; b = in.read()) {
      body.write(b);
    }
    frame.put("body", body.toString(StandardCharsets.UTF_8));
    return frame;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the broker closed the connection");
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
