package dev.courier.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Not a test: the measurement issue 12 asks for (a million messages published with random delays
 * of 0 to 60 s: delivery lateness against their due time, and recovery after {@code kill -9} with
 * all of them pending). Talks to a running fat-jar broker over plain sockets:
 *
 * <pre>
 * java -cp target/test-classes:target/courier.jar dev.courier.cli.DelayedMillionDriver \
 *     publish PORT COUNT MIN_DELAY_MS MAX_DELAY_MS   # one producer, up to 2000 unconfirmed
 * java -cp ... dev.courier.cli.DelayedMillionDriver consume PORT COUNT
 * </pre>
 *
 * Each payload carries its due time: the producer's wall clock when it sent the publish plus the
 * {@code delay_ms} it asked for. The broker counts the delay from when it reads the publish, a
 * little later, so the lateness printed is an upper bound: it includes the publish path's queueing.
 * Both sides run on the broker's machine, so they share its clock.
 */
public final class DelayedMillionDriver {
  private static final String TOPIC = "delayed";
  /** Enough unconfirmed publishes to keep group commit's batches full without holding much memory. */
  private static final int WINDOW = 2000;
  private static final Pattern DUE = Pattern.compile("\"payload\":\"due-(\\d+)-");
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private DelayedMillionDriver() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    switch (args[0]) {
      case "publish" -> publish(port, count, Long.parseLong(args[3]), Long.parseLong(args[4]));
      case "consume" -> consume(port, count);
      default -> throw new IllegalArgumentException("publish or consume, not " + args[0]);
    }
  }

  private static void publish(int port, int count, long minDelayMs, long maxDelayMs) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      send(out, "{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"" + TOPIC + "\"}");
      out.flush();
      Semaphore window = new Semaphore(WINDOW);
      long[] failures = new long[1];
      Thread reader = new Thread(() -> {
        try {
          for (int i = 0; i < count; i++) {
            String reply = receive(in);
            if (!reply.startsWith("{\"type\":\"ok\"")) {
              failures[0]++;
              if (failures[0] <= 5) {
                System.out.println("refused: " + reply);
              }
            }
            window.release();
          }
        } catch (IOException e) {
          System.out.println("reader stopped: " + e);
        }
      }, "oks");
      reader.start();
      SplittableRandom random = new SplittableRandom(12);
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (!window.tryAcquire()) {
          out.flush();
          window.acquire();
        }
        long delay = minDelayMs + random.nextLong(maxDelayMs - minDelayMs + 1);
        long due = System.currentTimeMillis() + delay;
        send(out, "{\"type\":\"publish\",\"payload\":\"due-" + due + "-" + i + "\",\"delay_ms\":" + delay + "}");
      }
      out.flush();
      reader.join();
      System.out.printf("published %d (delays %d-%d ms) in %d ms, %d refused%n", count, minDelayMs, maxDelayMs,
          (System.nanoTime() - start) / 1_000_000, failures[0]);
    }
  }

  private static void consume(int port, int count) throws IOException {
    Histogram lateness = new Histogram(3_600_000L, 3);
    long early = 0;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      send(out, "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + TOPIC + "\",\"prefetch\":1000}");
      out.flush();
      long start = System.nanoTime();
      long first = 0;
      for (int i = 0; i < count; i++) {
        String frame = receive(in);
        long now = System.currentTimeMillis();
        Matcher due = DUE.matcher(frame);
        Matcher id = ID.matcher(frame);
        if (!due.find() || !id.find()) {
          throw new IOException("not a delayed message: " + frame);
        }
        if (i == 0) {
          first = (System.nanoTime() - start) / 1_000_000;
        }
        long late = now - Long.parseLong(due.group(1));
        if (late < 0) {
          early++;
        }
        lateness.recordValue(Math.max(0, Math.min(late, lateness.getHighestTrackableValue())));
        send(out, "{\"type\":\"ack\",\"id\":" + id.group(1) + "}");
        if (in.available() == 0) {
          out.flush();
        }
      }
      out.flush();
      System.out.printf("received %d in %d ms (first after %d ms); %d before their due time%n", count,
          (System.nanoTime() - start) / 1_000_000, first, early);
    }
    System.out.printf("lateness ms: p50 %d, p90 %d, p99 %d, p99.9 %d, max %d%n", lateness.getValueAtPercentile(50),
        lateness.getValueAtPercentile(90), lateness.getValueAtPercentile(99), lateness.getValueAtPercentile(99.9),
        lateness.getMaxValue());
  }

  private static void send(DataOutputStream out, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    out.writeInt(body.length);
    out.write(body);
  }

  private static String receive(DataInputStream in) throws IOException {
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return new String(body, StandardCharsets.UTF_8);
  }
}
