package dev.courier.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what an idle thing costs a broker: starts a fresh broker, takes its RSS after a full GC,
 * opens N idle consumer connections (all in one group, so only the connections add up) or creates
 * N empty groups (one short-lived consumer each), and takes the RSS after a full GC again. The
 * "before" figure is also the broker's idle RSS.
 */
public final class IdleBench {
  /** Idle things in one kind of run. */
  public enum Kind {
    CONNECTIONS("connections"), GROUPS("groups");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /**
   * Connections opened before their replies are read: few enough for the broker's accept backlog,
   * enough that the round trips overlap.
   */
  private static final int BATCH = 128;
  /** A reply to one small request comes in milliseconds; this only stops a wedged run. */
  private static final int READ_TIMEOUT_MILLIS = 30_000;
  /** Room for the bench's own checks beyond the N items, in the limits it raises. */
  private static final int LIMIT_HEADROOM = 64;
  /** Items opened before the first figure: enough to get their code compiled by C1. */
  private static final int WARMUP_ITEMS = BATCH;
  private static final String TOPIC = "idle";

  private final List<String> jvmOptions;
  private final List<String> settings;
  private final PrintStream err;

  public IdleBench(List<String> jvmOptions, List<String> settings, PrintStream err) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.settings = List.copyOf(settings);
    this.err = err;
  }

  public static String header() {
    return IdleTable.header();
  }

  public static String row(IdleFigures figures) {
    return IdleTable.row(figures);
  }

  public IdleFigures run(Kind kind, int items) throws IOException, InterruptedException {
    if (items < 1) {
      throw new IllegalArgumentException("--idle-" + kind.label + " must be at least 1, was " + items);
    }
    try (BrokerProcess broker = BrokerProcess.start(jvmOptions, limitsFor(kind, items))) {
      // The first items pay for loading and compiling their code and for Netty's first buffer
      // chunk (on 2,000 groups that was 8 KiB each, against 0.9 KiB of heap per group): a warm-up
      // batch, closed (connections) or kept (groups) before the first figure, leaves them out.
      closeAll(openBatch(broker.port(), kind, "w-", 0, WARMUP_ITEMS));
      long before = RssSettle.afterFullGc(broker.pid());
      err.printf("bench: idle %s: broker RSS %d KiB after GC; opening %d%n", kind.label, before / 1024, items);
      List<Socket> held = new ArrayList<>();
      try {
        for (int first = 0; first < items; first += BATCH) {
          List<Socket> batch = openBatch(broker.port(), kind, "g-", first, Math.min(items, first + BATCH));
          if (kind == Kind.CONNECTIONS) {
            held.addAll(batch);
          } else {
            closeAll(batch);
          }
        }
        long after = RssSettle.afterFullGc(broker.pid());
        broker.usage(); // fails if the broker died under the load
        return new IdleFigures(kind.label, items, before, after);
      } finally {
        closeAll(held);
      }
    }
  }

  /** The broker's quotas would refuse the N items; the run raises them (later --set wins). */
  private List<String> limitsFor(Kind kind, int items) {
    List<String> all = new ArrayList<>(settings);
    int limit = items + WARMUP_ITEMS + LIMIT_HEADROOM;
    if (kind == Kind.CONNECTIONS) {
      all.addAll(List.of("max_connections=" + limit, "max_connections_per_address=" + limit,
          "max_connections_per_user=" + limit));
    } else {
      all.add("max_groups_per_topic=" + limit);
    }
    return all;
  }

  /** Opens and registers items [from, to), then waits for each one's answer to {@code stats}. */
  private static List<Socket> openBatch(int port, Kind kind, String groupPrefix, int from, int to) throws IOException {
    List<Socket> batch = new ArrayList<>(to - from);
    try {
      for (int i = from; i < to; i++) {
        Socket socket = new Socket();
        batch.add(socket);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        String group = kind == Kind.CONNECTIONS ? TOPIC : groupPrefix + i;
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        writeFrame(out, "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + TOPIC + "\",\"group\":\""
            + group + "\"}");
        // Replies come in request order, so a stats_reply says the register was accepted.
        writeFrame(out, "{\"type\":\"stats\",\"limit\":1}");
        out.flush();
      }
      for (int i = 0; i < batch.size(); i++) {
        String reply = readFrame(new DataInputStream(batch.get(i).getInputStream()));
        if (!reply.contains("\"stats_reply\"")) {
          throw new IOException("item " + (from + i) + " was refused: " + reply);
        }
      }
      return batch;
    } catch (IOException e) {
      closeAll(batch);
      throw e;
    }
  }

  private static void writeFrame(DataOutputStream out, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    out.writeInt(body.length);
    out.write(body);
  }

  private static String readFrame(DataInputStream in) throws IOException {
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return new String(body, StandardCharsets.UTF_8);
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a socket the broker already closed tells nothing more about the measurement.
        assert socket.isClosed();
      }
    }
    sockets.clear();
  }
}
