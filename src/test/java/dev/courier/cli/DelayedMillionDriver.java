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
 * java -cp ... dev.courier.cli.DelayedMillionDriver consume PORT COUNT [DUE_FROM_EPOCH_MS]
 * java -cp ... dev.courier.cli.DelayedMillionDriver nack PORT COUNT MIN_DELAY_MS MAX_DELAY_MS DUE_FILE [retries]
 * java -cp ... dev.courier.cli.DelayedMillionDriver retries PORT COUNT DUE_FILE
 * </pre>
 *
 * Each payload carries its due time: the producer's wall clock when it sent the publish plus the
 * {@code delay_ms} it asked for. The broker counts the delay from when it reads the publish, a
 * little later, so the lateness printed is an upper bound: it includes the publish path's queueing.
 * Both sides run on the broker's machine, so they share its clock. With {@code DUE_FROM_EPOCH_MS}
 * (after a restart: when the broker was listening again) the lateness figures count only the
 * messages due from then on; those due before (they fell due while the broker was down, or
 * waited for a consumer) are counted apart.
 *
 * <p>{@code nack} is the same measurement for delayed retries: it nacks the first delivery of
 * {@code COUNT} messages of the topic (published before, e.g. by {@code courier producer}) with a
 * random {@code delay_ms}, writes each due time to {@code DUE_FILE}, and with {@code retries} goes
 * on to receive each retry and print its lateness. Without it, it stops once every nack is handled
 * and journaled (a confirmed publish behind them), so that the broker can be killed with all of
 * them pending; {@code retries} then measures the retries after the restart.
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
      case "consume" -> consume(port, count, args.length > 3 ? Long.parseLong(args[3]) : Long.MIN_VALUE);
      case "nack" -> nack(port, count, Long.parseLong(args[3]), Long.parseLong(args[4]), java.nio.file.Path.of(args[5]),
          args.length > 6 && "retries".equals(args[6]));
      case "retries" -> retries(port, count, java.nio.file.Path.of(args[3]));
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

  private static void consume(int port, int count, long dueFromMillis) throws IOException {
    Histogram lateness = new Histogram(3_600_000L, 3);
    long early = 0;
    long dueBefore = 0;
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
        long dueMillis = Long.parseLong(due.group(1));
        long late = now - dueMillis;
        if (late < 0) {
          early++;
        }
        if (dueMillis < dueFromMillis) {
          dueBefore++;
        } else {
          lateness.recordValue(Math.max(0, Math.min(late, lateness.getHighestTrackableValue())));
        }
        send(out, "{\"type\":\"ack\",\"id\":" + id.group(1) + "}");
        if (in.available() == 0) {
          out.flush();
        }
      }
      out.flush();
      System.out.printf("received %d in %d ms (first after %d ms); %d before their due time%n", count,
          (System.nanoTime() - start) / 1_000_000, first, early);
    }
    if (dueFromMillis != Long.MIN_VALUE) {
      System.out.printf("%d were due before %d (not in the lateness below)%n", dueBefore, dueFromMillis);
    }
    System.out.printf("lateness ms: p50 %d, p90 %d, p99 %d, p99.9 %d, max %d%n", lateness.getValueAtPercentile(50),
        lateness.getValueAtPercentile(90), lateness.getValueAtPercentile(99), lateness.getValueAtPercentile(99.9),
        lateness.getMaxValue());
  }

  private static final Pattern ATTEMPT = Pattern.compile("\"attempt\":(\\d+)");

  private static void nack(int port, int count, long minDelayMs, long maxDelayMs, java.nio.file.Path dueFile,
      boolean thenRetries) throws Exception {
    Retrying run = new Retrying(count, new long[count + 1]);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      send(out, "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + TOPIC + "\",\"prefetch\":1000}");
      out.flush();
      SplittableRandom random = new SplittableRandom(12);
      long start = System.nanoTime();
      while (run.nacked < count) {
        String frame = receive(in);
        long id = number(ID, frame);
        if (number(ATTEMPT, frame) == 1) {
          long delay = minDelayMs + random.nextLong(maxDelayMs - minDelayMs + 1);
          run.due[(int) id] = System.currentTimeMillis() + delay;
          send(out, "{\"type\":\"nack\",\"id\":" + id + ",\"delay_ms\":" + delay + "}");
          run.nacked++;
        } else {
          run.retried(id, frame, out);
        }
        if (in.available() == 0) {
          out.flush();
        }
      }
      out.flush();
      System.out.printf("nacked %d (delays %d-%d ms) in %d ms; %d retries came back meanwhile%n", count, minDelayMs,
          maxDelayMs, (System.nanoTime() - start) / 1_000_000, run.back.cardinality());
      writeDue(dueFile, run.due);
      if (thenRetries) {
        run.receiveAll(in, out);
        return;
      }
      // Handled on this connection before the stats reply; the publish confirmed after it went to
      // disk behind their journal records (one storage thread, in order).
      send(out, "{\"type\":\"stats\",\"limit\":1}");
      out.flush();
      while (!receive(in).startsWith("{\"type\":\"stats_reply\"")) {
        // a retry due meanwhile: left in flight, so it is pending again after the kill
      }
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      send(out, "{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"" + TOPIC + "-marker\"}");
      send(out, "{\"type\":\"publish\",\"payload\":\"after the nacks\"}");
      out.flush();
      System.out.println("marker: " + receive(in));
    }
  }

  private static void retries(int port, int count, java.nio.file.Path dueFile) throws IOException {
    Retrying run = new Retrying(count, readDue(dueFile, count));
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      send(out, "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + TOPIC + "\",\"prefetch\":1000}");
      out.flush();
      run.receiveAll(in, out);
    }
  }

  /** The retries of ids 1..count: each acked once it is back with attempt 2 or more, its lateness recorded. */
  private static final class Retrying {
    final int count;
    final long[] due;
    final java.util.BitSet back;
    final Histogram lateness = new Histogram(3_600_000L, 3);
    int nacked;
    long early;
    long firstAttempts;

    Retrying(int count, long[] due) {
      this.count = count;
      this.due = due;
      this.back = new java.util.BitSet(count + 1);
    }

    void retried(long id, String frame, DataOutputStream out) throws IOException {
      long now = System.currentTimeMillis();
      if (number(ATTEMPT, frame) < 2) {
        firstAttempts++; // delivered as if never nacked: the nack was lost
      } else if (id >= 1 && id <= count && !back.get((int) id)) {
        back.set((int) id);
        long late = now - due[(int) id];
        if (late < 0) {
          early++;
        }
        lateness.recordValue(Math.max(0, Math.min(late, lateness.getHighestTrackableValue())));
      }
      send(out, "{\"type\":\"ack\",\"id\":" + id + "}");
    }

    void receiveAll(DataInputStream in, DataOutputStream out) throws IOException {
      long start = System.nanoTime();
      while (back.cardinality() < count) {
        String frame = receive(in);
        retried(number(ID, frame), frame, out);
        if (in.available() == 0) {
          out.flush();
        }
      }
      out.flush();
      System.out.printf("retries: %d back after %d ms, %d before their due time, %d first attempts again%n", count,
          (System.nanoTime() - start) / 1_000_000, early, firstAttempts);
      System.out.printf("retry lateness ms: p50 %d, p90 %d, p99 %d, p99.9 %d, max %d%n",
          lateness.getValueAtPercentile(50), lateness.getValueAtPercentile(90), lateness.getValueAtPercentile(99),
          lateness.getValueAtPercentile(99.9), lateness.getMaxValue());
    }
  }

  private static long number(Pattern pattern, String frame) throws IOException {
    Matcher m = pattern.matcher(frame);
    if (!m.find()) {
      throw new IOException("no " + pattern + " in " + frame);
    }
    return Long.parseLong(m.group(1));
  }

  private static void writeDue(java.nio.file.Path file, long[] due) throws IOException {
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(due.length * 8);
    bytes.asLongBuffer().put(due);
    java.nio.file.Files.write(file, bytes.array());
  }

  private static long[] readDue(java.nio.file.Path file, int count) throws IOException {
    long[] due = new long[count + 1];
    java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file)).asLongBuffer().get(due);
    return due;
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
