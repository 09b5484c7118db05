package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame budget holds a real broker's memory: 2,000 connections that each register and then
 * send all but the last byte of a 1 MiB frame raise the fat-jar broker's resident memory (with the
 * bench's JVM options) by less than {@link #BOUND_MIB}, and a healthy producer and consumer still
 * work while they hold. Without the budget, 1,500 such connections took it from 111 MB to 3.2 GB.
 *
 * <p>The bound, 400 MiB: bodies in progress hold at most twice the 64 MiB budget (128 MiB: the
 * parser's buffer grows by doubling); each connection waiting for budget holds at most the one
 * socket read that carried its prefix (64 KiB at most: 125 MiB for 2,000); the rest is slack for
 * the connections' own objects and for garbage the serial collector has not yet reclaimed.
 * Measured once here: 102 MiB before, 246 MiB while they held (1,821 MiB of bodies written).
 */
@Timeout(120)
class FrameMemoryIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final int ATTACKERS = 2_000;
  private static final int FRAME_BYTES = 1024 * 1024;
  private static final long BOUND_MIB = 400;
  private static final long SETTLE_MS = 5_000;
  /** Samples 20 times over the settle time: enough to see the peak, few enough to cost nothing. */
  private static final long SAMPLE_MS = 250;

  @TempDir
  Path dataDir;

  @Test
  void unfinishedLargeFramesOnTwoThousandConnectionsStayWithinTheBudget() throws Exception {
    try (CourierProcess broker = CourierProcess.roleWithJvmOptions(benchJvmOptions(), "broker", "--port", "0",
        "--set", "data_dir=" + dataDir, "--set", "register_timeout_ms=120000", "--set", "frame_timeout_ms=120000",
        // Every attacker comes from 127.0.0.1: this test is about the frame budget, not the per-address quota.
        "--set", "max_connections_per_address=" + (ATTACKERS + 10))) {
      int port = broker.awaitListeningPort(START);
      healthyPairWorks(port, "before");
      long before = rssKib(broker.pid());

      List<SocketChannel> attackers = new ArrayList<>();
      try {
        for (int i = 0; i < ATTACKERS; i++) {
          attackers.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
        }
        long written = holdUnfinishedFrames(attackers);
        try {
          awaitConnections(port, ATTACKERS);
        } catch (IOException e) {
          throw new AssertionError("broker unreachable; output:\n" + broker.output(), e);
        }
        long peak = peakRssKib(broker);
        healthyPairWorks(port, "during");
        long during = Math.max(peak, rssKib(broker.pid()));
        long grownMib = (during - before) / 1024;
        System.out.printf("FrameMemoryIT: broker VmRSS %d MiB before, %d MiB while %d connections hold an unfinished"
            + " 1 MiB frame (%d MiB of their bodies written to the sockets); grew %d MiB, bound %d MiB%n",
            before / 1024, during / 1024, ATTACKERS, written >> 20, grownMib, BOUND_MIB);
        assertTrue(grownMib < BOUND_MIB, "broker grew " + grownMib + " MiB; output:\n" + broker.output());
      } finally {
        for (SocketChannel attacker : attackers) {
          attacker.close();
        }
      }
    }
  }

  /**
   * Registers every attacker and writes, without blocking, all but the last byte of a 1 MiB frame
   * or as much of it as the broker lets the socket take; returns the body bytes written.
   */
  private static long holdUnfinishedFrames(List<SocketChannel> attackers) throws IOException {
    byte[] register = frame("{\"type\":\"register\",\"role\":\"producer\"}");
    ByteBuffer body = ByteBuffer.allocate(4 + FRAME_BYTES - 1);
    body.putInt(FRAME_BYTES);
    body.put("{\"type\":\"publish\",\"payload\":\"".getBytes(StandardCharsets.UTF_8));
    byte[] x = new byte[body.remaining()];
    Arrays.fill(x, (byte) 'x');
    body.put(x).flip();
    List<ByteBuffer> left = new ArrayList<>();
    for (SocketChannel attacker : attackers) {
      writeFully(attacker, ByteBuffer.wrap(register));
      attacker.configureBlocking(false);
      left.add(body.duplicate());
    }
    // Rounds over every socket until none takes more; bounded by the bytes there are to write.
    long written = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      for (int i = 0; i < attackers.size(); i++) {
        ByteBuffer rest = left.get(i);
        if (rest.hasRemaining()) {
          int n = attackers.get(i).write(rest);
          written += n;
          progress |= n > 0;
        }
      }
    }
    return written;
  }

  /**
   * The highest VmRSS seen while the broker reads what the attackers wrote, over {@link #SETTLE_MS}.
   * Between samples the test waits on the broker's exit, which must not come: each wait is a check
   * that the broker survives the attack, and its timeout paces the samples.
   */
  private static long peakRssKib(CourierProcess broker) throws Exception {
    CompletableFuture<ProcessHandle> exit = ProcessHandle.of(broker.pid()).orElseThrow(
        () -> new AssertionError("broker gone before the samples; output:\n" + broker.output())).onExit();
    long peak = rssKib(broker.pid());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
    while (System.nanoTime() - deadline < 0) {
      try {
        exit.get(SAMPLE_MS, TimeUnit.MILLISECONDS);
        throw new AssertionError("broker exited while the attackers held; output:\n" + broker.output());
      } catch (TimeoutException stillRunning) {
        peak = Math.max(peak, rssKib(broker.pid()));
      }
    }
    return peak;
  }

  private static void awaitConnections(int port, int attackers) throws IOException {
    long deadline = System.nanoTime() + START.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      try (Socket stats = new Socket("127.0.0.1", port)) {
        RawFrames.send(stats, "{\"type\":\"stats\"}");
        seen = new JsonObject(RawFrames.receive(stats)).getInteger("connections");
        if (seen >= attackers + 1) {
          return;
        }
      }
    }
    throw new AssertionError("the broker saw " + seen + " connections, not " + (attackers + 1));
  }

  private static void healthyPairWorks(int port, String when) throws IOException {
    String payload = "healthy " + when;
    try (Socket consumer = new Socket("127.0.0.1", port); Socket producer = new Socket("127.0.0.1", port)) {
      RawFrames.send(consumer, "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"healthy-" + when + "\"}");
      RawFrames.send(producer, "{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"healthy-" + when + "\"}");
      RawFrames.send(producer, "{\"type\":\"publish\",\"payload\":\"" + payload + "\"}");
      assertEquals("{\"type\":\"ok\"}", RawFrames.receive(producer));
      JsonObject message = new JsonObject(RawFrames.receive(consumer));
      assertEquals(payload, message.getString("payload"), message.encode());
      RawFrames.send(consumer, "{\"type\":\"ack\",\"id\":" + message.getLong("id") + "}");
    }
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  private static List<String> benchJvmOptions() throws IOException {
    try (InputStream in = FrameMemoryIT.class.getResourceAsStream("/dev/courier/bench/broker-jvm.options")) {
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
    }
  }

  private static byte[] frame(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
