package dev.courier.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Not a test: the figures issue 13 asks for. Talks to a running fat-jar broker over plain sockets,
 * producers and consumers in this one JVM (so their nanoTime clocks agree):
 *
 * <pre>
 * java -cp target/test-classes:target/courier.jar dev.courier.cli.OrderBenchDriver \
 *     run PORT ORDERING KEYS PER_PRODUCER [RATE]   # 4 producers, 4 consumers, 100 B payloads, one new topic
 * java -cp ... dev.courier.cli.OrderBenchDriver rss PORT BROKER_PID COUNT [ORDERING]   # COUNT distinct keys, once each
 * </pre>
 *
 * {@code run}: each producer keeps up to {@value #WINDOW} publishes unconfirmed, each with a key
 * drawn at random from {@code KEYS}; each consumer (prefetch {@value #PREFETCH}) acks every
 * delivery at once; with {@code RATE} (msg/s over all producers) the producers pace their sends to
 * it, for the latency at an everyday rate rather than at saturation. Prints msg/s (deliveries over the time from the first publish to the last
 * delivery) and the publish-to-delivery latency (the producer's send time is in the payload).
 * {@code ORDERING} is {@code none}, {@code key} or {@code single}. {@code rss} publishes
 * {@code COUNT} messages with distinct keys to a key-ordered group (or one of {@code ORDERING}) that acks them, and prints the
 * broker's VmRSS and VmHWM (peak) from /proc before, at the end, and after a pause for the GC.
 */
public final class OrderBenchDriver {
  private static final int PRODUCERS = 4;
  private static final int CONSUMERS = 4;
  private static final int WINDOW = 1000;
  private static final int PREFETCH = 100;
  private static final int PAYLOAD_BYTES = 100;

  private OrderBenchDriver() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    switch (args[0]) {
      case "run" -> run(port, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          args.length > 5 ? Integer.parseInt(args[5]) : 0);
      case "rss" -> rss(port, Long.parseLong(args[2]), Integer.parseInt(args[3]), args.length > 4 ? args[4] : "key");
      default -> throw new IllegalArgumentException("run or rss, not " + args[0]);
    }
  }

  private static void run(int port, String ordering, int keys, int perProducer, int rate) throws Exception {
    String topic = "order-" + ordering + "-" + keys + "-" + System.currentTimeMillis();
    long total = (long) PRODUCERS * perProducer;
    intervalNanos = rate <= 0 ? 0 : 1_000_000_000L * PRODUCERS / rate;
    Result result = drive(port, topic, ordering, total, (p, i, random) -> "k" + random.nextInt(keys), perProducer);
    System.out.printf("ordering=%s keys=%d messages=%d rate=%s: %.0f msg/s, publish->delivery p50 %.2f ms p99 %.2f ms"
        + " max %.2f ms%n", ordering, keys, result.delivered, rate <= 0 ? "max" : String.valueOf(rate),
        result.delivered / result.seconds,
        result.latency.getValueAtPercentile(50) / 1e6, result.latency.getValueAtPercentile(99) / 1e6,
        result.latency.getMaxValue() / 1e6);
  }

  /** Between two sends of one producer, or 0: as fast as the window allows. */
  private static long intervalNanos;

  private static void rss(int port, long pid, int count, String ordering) throws Exception {
    System.out.println("before: " + memory(pid));
    String topic = "order-rss-" + System.currentTimeMillis();
    int perProducer = count / PRODUCERS;
    Result result = drive(port, topic, ordering, (long) perProducer * PRODUCERS,
        (p, i, random) -> "unique-" + p + "-" + i, perProducer);
    System.out.printf("ordering=%s: %d distinct keys published once and acked in %.1f s; %s%n", ordering,
        result.delivered, result.seconds, memory(pid));
  }

  private static String memory(long pid) throws IOException {
    StringBuilder figures = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
        figures.append(line.replaceAll("\\s+", " ")).append("; ");
      }
    }
    return figures.toString();
  }

  private interface Keys {
    String key(int producer, int index, SplittableRandom random);
  }

  private record Result(long delivered, double seconds, Histogram latency) {}

  private static Result drive(int port, String topic, String ordering, long total, Keys keys, int perProducer)
      throws Exception {
    Histogram latency = new Histogram(3_600_000_000_000L, 3);
    AtomicLong delivered = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    long[] lastDelivery = new long[1];
    List<Thread> threads = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    CountDownLatch registered = new CountDownLatch(CONSUMERS);
    for (int c = 0; c < CONSUMERS; c++) {
      Socket socket = new Socket("127.0.0.1", port);
      sockets.add(socket);
      String register = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + topic + "\",\"group\":\"g\","
          + "\"prefetch\":" + PREFETCH + ("none".equals(ordering) ? "" : ",\"ordering\":\"" + ordering + "\"") + "}";
      threads.add(new Thread(() -> consume(socket, register, registered, latency, delivered, total, done, lastDelivery),
          "consumer"));
    }
    threads.forEach(Thread::start);
    registered.await();
    long start = System.nanoTime();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Socket socket = new Socket("127.0.0.1", port);
      sockets.add(socket);
      Thread thread = new Thread(() -> produce(socket, topic, producer, perProducer, keys), "producer");
      threads.add(thread);
      thread.start();
    }
    done.await();
    double seconds = (lastDelivery[0] - start) / 1e9;
    for (Socket socket : sockets) {
      socket.close();
    }
    for (Thread thread : threads) {
      thread.join(); // the consumers add their latencies as they end
    }
    return new Result(delivered.get(), seconds, latency);
  }

  private static void produce(Socket socket, String topic, int producer, int count, Keys keys) {
    try {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      send(out, "{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"" + topic + "\"}");
      out.flush();
      Semaphore window = new Semaphore(WINDOW);
      Thread reader = new Thread(() -> {
        try {
          for (int i = 0; i < count; i++) {
            String reply = receive(in);
            if (!reply.startsWith("{\"type\":\"ok\"")) {
              System.out.println("refused: " + reply);
            }
            window.release();
          }
        } catch (IOException e) {
          System.out.println("producer reader: " + e);
        }
      });
      reader.start();
      SplittableRandom random = new SplittableRandom(producer);
      String pad = "x".repeat(PAYLOAD_BYTES);
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (intervalNanos > 0) {
          next += intervalNanos;
          out.flush();
          while (System.nanoTime() - next < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
          }
        }
        if (!window.tryAcquire()) {
          out.flush();
          window.acquire();
        }
        String stamp = "t" + System.nanoTime() + "-";
        send(out, "{\"type\":\"publish\",\"payload\":\"" + stamp + pad.substring(stamp.length()) + "\",\"key\":\""
            + keys.key(producer, i, random) + "\"}");
      }
      out.flush();
      reader.join();
    } catch (IOException | InterruptedException e) {
      System.out.println("producer: " + e);
    }
  }

  private static void consume(Socket socket, String register, CountDownLatch registered, Histogram latency,
      AtomicLong delivered, long total, CountDownLatch done, long[] lastDelivery) {
    Histogram mine = new Histogram(3_600_000_000_000L, 3);
    try {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      send(out, register);
      send(out, "{\"type\":\"ack\",\"id\":0}"); // its unknown_message says the register is done
      out.flush();
      String first = receive(in);
      if (!first.contains("unknown_message")) {
        System.out.println("register: " + first);
      }
      registered.countDown();
      while (true) {
        String frame = receive(in);
        long now = System.nanoTime();
        int stamp = frame.indexOf("\"payload\":\"t") + 12;
        if (stamp < 12) {
          System.out.println("unexpected: " + frame);
          continue;
        }
        mine.recordValue(Math.max(0, now - Long.parseLong(frame, stamp, frame.indexOf('-', stamp), 10)));
        int id = frame.indexOf("\"id\":") + 5;
        send(out, "{\"type\":\"ack\",\"id\":" + frame.substring(id, frame.indexOf(',', id)) + "}");
        if (in.available() == 0) {
          out.flush();
        }
        if (delivered.incrementAndGet() == total) {
          out.flush();
          lastDelivery[0] = now;
          done.countDown();
        }
      }
    } catch (IOException e) {
      // closed at the end by drive()
    } finally {
      synchronized (latency) {
        latency.add(mine);
      }
      registered.countDown();
    }
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
