package dev.courier.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lean, independent client to measure the broker without the project's client in the way:
 * blocking sockets and one thread per connection, no Vert.x, no Jackson. A producer writes every
 * publish its window has room for in one write and reads the oks in bulk; a consumer acks all the
 * messages one read brought in one write. What the broker does per message is the same as for
 * {@code courier bench}; what the client does is as little as the protocol allows, so its figures
 * are the yardstick the bench (through the public API) is held to (issue 14: within 20 %).
 *
 * <pre>
 * java -cp target/test-classes dev.courier.bench.LeanClientDriver PORT PRODUCERS CONSUMERS COUNT SIZE [WINDOW]
 * </pre>
 *
 * Each run publishes to a topic of its own, consumed by a group of the same name, as the bench
 * does against a running broker. Prints one line: end-to-end and confirmed msg/s.
 */
public final class LeanClientDriver {
  private static final int READ_BUFFER_BYTES = 1 << 20;
  /** {@code {"type":"} before the type's first letter. */
  private static final int TYPE_OFFSET = 9;
  private static final byte[] ID_FIELD = "\"id\":".getBytes(StandardCharsets.US_ASCII);
  /** A run that has not ended by then is reported as stuck rather than waited for forever. */
  private static final long TIMEOUT_SECONDS = 300;

  private LeanClientDriver() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: LeanClientDriver PORT PRODUCERS CONSUMERS COUNT SIZE [WINDOW]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int producers = Integer.parseInt(args[1]);
    int consumers = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    int size = Integer.parseInt(args[4]);
    int window = args.length > 5 ? Integer.parseInt(args[5]) : 1000;
    String topic = "lean-" + Long.toString(System.nanoTime(), 36);

    AtomicLong received = new AtomicLong();
    CountDownLatch allReceived = new CountDownLatch(1);
    AtomicLongArray lastOkNanos = new AtomicLongArray(producers);
    List<Socket> sockets = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      Socket s = connect(port);
      sockets.add(s);
      s.getOutputStream().write(frame("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + topic
          + "\",\"group\":\"" + topic + "\"}"));
      threads.add(start("lean-consumer-" + i, () -> consume(s, received, count, allReceived)));
    }
    long startNanos = System.nanoTime();
    CountDownLatch producersDone = new CountDownLatch(producers);
    for (int i = 0; i < producers; i++) {
      int index = i;
      int share = count / producers + (i < count % producers ? 1 : 0);
      Socket s = connect(port);
      sockets.add(s);
      threads.add(start("lean-producer-" + i, () -> {
        produce(s, topic, share, size, window);
        lastOkNanos.set(index, System.nanoTime());
        producersDone.countDown();
      }));
    }
    // No consumers: a producer-only run, which ends when every publish is confirmed.
    boolean ended = consumers == 0 ? producersDone.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        : allReceived.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    long endNanos = System.nanoTime();
    producersDone.await(10, TimeUnit.SECONDS);
    long lastOk = 0;
    for (int i = 0; i < producers; i++) {
      lastOk = Math.max(lastOk, lastOkNanos.get(i) - startNanos);
    }
    for (Socket s : sockets) {
      s.close();
    }
    for (Thread t : threads) {
      t.join(5_000);
    }
    System.out.printf("lean %dP/%dC %d B x %d window %d: end-to-end %.0f msg/s, confirmed %.0f msg/s%s%n",
        producers, consumers, size, count, window, count / ((endNanos - startNanos) / 1e9),
        lastOk == 0 ? 0 : count / (lastOk / 1e9), ended ? "" : " (TIMED OUT with " + received.get() + " received)");
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  private interface Body {
    void run() throws IOException;
  }

  private static Thread start(String name, Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (IOException e) {
        // The driver closes the sockets at the end: a blocked read then ends this way.
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Publishes {@code count}: every publish the window has room for goes in one write. */
  private static void produce(Socket s, String topic, int count, int size, int window) throws IOException {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    out.write(frame("{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"" + topic + "\"}"));
    byte[] publish = frame("{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"payload\":\"" + "x".repeat(size)
        + "\"}");
    byte[] batch = new byte[publish.length * window];
    byte[] buffer = new byte[READ_BUFFER_BYTES];
    int filled = 0;
    long sent = 0;
    long answered = 0;
    while (answered < count) {
      int room = (int) Math.min(window - (sent - answered), count - sent);
      for (int i = 0; i < room; i++) {
        System.arraycopy(publish, 0, batch, i * publish.length, publish.length);
      }
      if (room > 0) {
        out.write(batch, 0, room * publish.length);
        sent += room;
      }
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        throw new IOException("the broker closed the producer's connection after " + answered + " answers");
      }
      filled += n;
      int pos = 0;
      while (filled - pos >= 4) {
        int length = readInt(buffer, pos);
        if (filled - pos - 4 < length) {
          break;
        }
        if (buffer[pos + 4 + TYPE_OFFSET] == 'e') {
          throw new IOException("the broker answered an error: "
              + new String(buffer, pos + 4, length, StandardCharsets.UTF_8));
        }
        answered++;
        pos += 4 + length;
      }
      System.arraycopy(buffer, pos, buffer, 0, filled - pos);
      filled -= pos;
    }
  }

  /** Receives until {@code total} have arrived over all consumers; acks what one read brought in one write. */
  private static void consume(Socket s, AtomicLong received, long total, CountDownLatch allReceived)
      throws IOException {
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[READ_BUFFER_BYTES];
    byte[] acks = new byte[64 * 1024];
    int filled = 0;
    while (true) {
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        return;
      }
      filled += n;
      int pos = 0;
      int ackBytes = 0;
      long got = 0;
      while (filled - pos >= 4) {
        int length = readInt(buffer, pos);
        if (filled - pos - 4 < length) {
          break;
        }
        if (buffer[pos + 4 + TYPE_OFFSET] == 'm') {
          long id = idOf(buffer, pos + 4, length);
          if (ackBytes + 48 > acks.length) {
            out.write(acks, 0, ackBytes);
            ackBytes = 0;
          }
          ackBytes = appendAck(acks, ackBytes, id);
          got++;
        }
        pos += 4 + length;
      }
      if (ackBytes > 0) {
        out.write(acks, 0, ackBytes);
      }
      System.arraycopy(buffer, pos, buffer, 0, filled - pos);
      filled -= pos;
      if (got > 0 && received.addAndGet(got) >= total) {
        allReceived.countDown();
      }
    }
  }

  private static long idOf(byte[] b, int from, int length) {
    int end = from + length;
    outer:
    for (int i = from; i < end - ID_FIELD.length; i++) {
      for (int j = 0; j < ID_FIELD.length; j++) {
        if (b[i + j] != ID_FIELD[j]) {
          continue outer;
        }
      }
      long id = 0;
      for (int k = i + ID_FIELD.length; k < end && b[k] >= '0' && b[k] <= '9'; k++) {
        id = id * 10 + (b[k] - '0');
      }
      return id;
    }
    throw new IllegalStateException("a message frame without an id");
  }

  private static final byte[] ACK_HEAD = "{\"type\":\"ack\",\"id\":".getBytes(StandardCharsets.US_ASCII);

  private static int appendAck(byte[] out, int at, long id) {
    String digits = Long.toString(id);
    int length = ACK_HEAD.length + digits.length() + 1;
    writeInt(out, at, length);
    System.arraycopy(ACK_HEAD, 0, out, at + 4, ACK_HEAD.length);
    int p = at + 4 + ACK_HEAD.length;
    for (int i = 0; i < digits.length(); i++) {
      out[p++] = (byte) digits.charAt(i);
    }
    out[p++] = '}';
    return p;
  }

  private static byte[] frame(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] framed = new byte[4 + body.length];
    writeInt(framed, 0, body.length);
    System.arraycopy(body, 0, framed, 4, body.length);
    return framed;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
