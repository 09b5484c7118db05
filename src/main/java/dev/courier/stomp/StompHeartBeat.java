package dev.courier.stomp;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * STOMP heart-beats of one connection (STOMP 1.2, "Heart-beating"): the client's CONNECT says
 * {@code cx,cy}, the broker offers {@code stomp_heart_beat_ms} both ways; the broker sends an EOL
 * when it wrote nothing for the agreed interval, and closes a peer silent for twice the interval
 * it promised. Two timers per connection, none when heart-beats are off.
 */
final class StompHeartBeat {
  private static final Buffer EOL = Buffer.buffer("\n");

  private final Vertx vertx;
  private final long offeredMs;
  private final NetSocket socket;
  private final LongConsumer peerSilent;
  private final BooleanSupplier notReading;
  private long lastReceivedNanos = System.nanoTime();
  private long lastSentNanos = System.nanoTime();
  private long sendTimer = -1;
  private long checkTimer = -1;

  /** {@code notReading}: true while the broker does not read the socket (back-pressure). */
  StompHeartBeat(Vertx vertx, long offeredMs, NetSocket socket, LongConsumer peerSilent, BooleanSupplier notReading) {
    this.vertx = vertx;
    this.offeredMs = offeredMs;
    this.socket = socket;
    this.peerSilent = peerSilent;
    this.notReading = notReading;
  }

  /**
   * Agrees on intervals from the CONNECT's {@code heart-beat} header (absent or malformed: none),
   * arms the timers, and returns the CONNECTED frame's header value.
   */
  String negotiate(String header) {
    long clientSends = 0;
    long clientWants = 0;
    if (header != null) {
      String[] parts = header.split(",");
      if (parts.length == 2) {
        clientSends = parse(parts[0]);
        clientWants = parse(parts[1]);
      }
    }
    long sendEveryMs = offeredMs == 0 || clientWants == 0 ? 0 : Math.max(offeredMs, clientWants);
    long expectEveryMs = offeredMs == 0 || clientSends == 0 ? 0 : Math.max(offeredMs, clientSends);
    if (sendEveryMs > 0) {
      sendTimer = vertx.setPeriodic(sendEveryMs, t -> {
        if (System.nanoTime() - lastSentNanos >= TimeUnit.MILLISECONDS.toNanos(sendEveryMs) / 2) {
          socket.write(EOL);
          sent();
        }
      });
    }
    if (expectEveryMs > 0) {
      long graceMs = 2 * expectEveryMs; // the spec leaves the margin to us; twice tolerates one late beat
      checkTimer = vertx.setPeriodic(Math.max(1, expectEveryMs / 2), t -> {
        if (notReading.getAsBoolean()) {
          received(); // its beats wait unread in the socket: it is the broker that is not listening
          return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReceivedNanos);
        if (silentMs > graceMs) {
          stop();
          peerSilent.accept(silentMs);
        }
      });
    }
    return offeredMs + "," + offeredMs;
  }

  void received() {
    lastReceivedNanos = System.nanoTime();
  }

  void sent() {
    lastSentNanos = System.nanoTime();
  }

  void stop() {
    if (sendTimer >= 0) {
      vertx.cancelTimer(sendTimer);
      sendTimer = -1;
    }
    if (checkTimer >= 0) {
      vertx.cancelTimer(checkTimer);
      checkTimer = -1;
    }
  }

  private static long parse(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
