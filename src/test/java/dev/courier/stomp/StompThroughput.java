package dev.courier.stomp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: the STOMP counterpart of {@code courier bench} S1 against a running broker, for the
 * issue 16 note. One producer (SENDs with a receipt each, at most WINDOW unconfirmed) and one
 * consumer ({@code ack:client-individual}, an ACK without receipt per message) on plain blocking
 * sockets, so the client costs little next to the broker. Prints messages per second.
 *
 * <p>{@code java -cp target/test-classes dev.courier.stomp.StompThroughput PORT [COUNT] [SIZE] [WINDOW]}
 */
public final class StompThroughput {
  private StompThroughput() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    String queue = "/queue/stomp-bench-" + System.nanoTime();
    byte[] body = "x".repeat(size).getBytes(StandardCharsets.US_ASCII);

    Peer consumer = new Peer(port);
    consumer.write("SUBSCRIBE\nid:1\ndestination:" + queue + "\nack:client-individual\nreceipt:sub\n\n\0");
    consumer.read(); // the SUBSCRIBE's RECEIPT: the consumer is in place before the first SEND
    Peer producer = new Peer(port);
    AtomicLong lastReceived = new AtomicLong();
    AtomicLong lastConfirmed = new AtomicLong();
    Semaphore unconfirmed = new Semaphore(window);

    Thread consuming = new Thread(() -> {
      try {
        for (int i = 0; i < count; i++) {
          Map<String, String> headers = consumer.read();
          consumer.write("ACK\nid:" + headers.get("ack") + "\n\n\0");
        }
        consumer.out.flush();
        lastReceived.set(System.nanoTime());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "stomp-bench-consumer");
    Thread confirming = new Thread(() -> {
      try {
        for (int i = 0; i < count; i++) {
          Map<String, String> headers = producer.read();
          if (!"RECEIPT".equals(headers.get(""))) {
            throw new IllegalStateException("expected a RECEIPT, got " + headers);
          }
          unconfirmed.release();
        }
        lastConfirmed.set(System.nanoTime());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "stomp-bench-confirms");
    consuming.start();
    confirming.start();
    long start = System.nanoTime();
    byte[] head = ("SEND\ndestination:" + queue + "\ncontent-length:" + size + "\nreceipt:").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      if (!unconfirmed.tryAcquire()) {
        producer.out.flush();
        unconfirmed.acquire();
      }
      producer.out.write(head);
      producer.out.write(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
      producer.out.write('\n');
      producer.out.write('\n');
      producer.out.write(body);
      producer.out.write(0);
    }
    producer.out.flush();
    confirming.join();
    consuming.join();
    double e2e = count / ((lastReceived.get() - start) / 1e9);
    double confirms = count / ((lastConfirmed.get() - start) / 1e9);
    System.out.printf("STOMP 1 producer, 1 consumer, %d B, %d messages, window %d, client-individual: "
        + "e2e %.0f msg/s, confirm %.0f msg/s%n", size, count, window, e2e, confirms);
    producer.socket.close();
    consumer.socket.close();
  }

  /** One connected STOMP socket; {@link #read} gives a frame's headers, its command under "". */
  private static final class Peer {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Peer(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      write("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
      out.flush();
      read();
    }

    void write(String frame) throws IOException {
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      if (!frame.startsWith("ACK")) {
        out.flush();
      } else if (in.available() == 0) {
        out.flush(); // nothing more to read right now: send the ACKs gathered so far
      }
    }

    Map<String, String> read() throws IOException {
      String command;
      do {
        command = line();
      } while (command.isEmpty());
      Map<String, String> headers = new HashMap<>();
      headers.put("", command);
      for (String line = line(); !line.isEmpty(); line = line()) {
        int colon = line.indexOf(':');
        headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
      }
      String length = headers.get("content-length");
      if (length != null) {
        in.readNBytes(Integer.parseInt(length) + 1);
      } else {
        while (in.read() > 0) {
          // up to the NUL
        }
      }
      if (command.equals("ERROR")) {
        throw new IOException("ERROR from the broker: " + headers);
      }
      return headers;
    }

    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream(64);
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("closed by the broker");
        }
        line.write(b);
      }
      return line.toString(StandardCharsets.UTF_8);
    }
  }
}
