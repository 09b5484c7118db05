package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.Predicate;

/** One blocking connection to a broker process that reads like a transcript: send this, expect that. */
final class WirePeer implements AutoCloseable {
  static final String RECEIVED_AT = "_received_at";

  private final Socket socket;
  /** Frames read while waiting for another one, handed out first and in order. */
  private final Deque<JsonObject> backlog = new ArrayDeque<>();

  WirePeer(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
  }

  WirePeer send(String json) throws IOException {
    RawFrames.send(socket, json);
    return this;
  }

  JsonObject next() throws IOException {
    return backlog.isEmpty() ? read() : backlog.poll();
  }

  /** Each frame gets {@value #RECEIVED_AT}, the wall time it was read, for "not before" checks. */
  private JsonObject read() throws IOException {
    JsonObject frame = new JsonObject(RawFrames.receive(socket));
    return frame.put(RECEIVED_AT, System.currentTimeMillis());
  }

  /** The next frame, which must be of {@code type}. */
  JsonObject expect(String type) throws IOException {
    JsonObject frame = next();
    if (!type.equals(frame.getString("type"))) {
      fail("expected a " + type + " frame, got " + frame.encode());
    }
    return frame;
  }

  /**
   * The first frame that matches, from those read before or from the socket, failing at
   * {@code within}; the frames it passes over stay for {@link #next()}.
   */
  JsonObject until(Predicate<JsonObject> wanted, Duration within) throws IOException {
    for (Iterator<JsonObject> it = backlog.iterator(); it.hasNext(); ) {
      JsonObject frame = it.next();
      if (wanted.test(frame)) {
        it.remove();
        return frame;
      }
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject frame;
      try {
        frame = read();
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (wanted.test(frame)) {
        return frame;
      }
      backlog.add(frame);
    }
    return fail("no wanted frame within " + within + "; passed over: " + backlog);
  }

  /** The first frame of {@code type} (see {@link #until}). */
  JsonObject untilType(String type, Duration within) throws IOException {
    return until(f -> type.equals(f.getString("type")), within);
  }

  /** The stats reply that follows every frame sent before it: those frames have been handled. */
  void barrier() throws IOException {
    send("{\"type\":\"stats\",\"limit\":1}");
    untilType("stats_reply", Duration.ofSeconds(10));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
