package dev.courier.cli;

import dev.courier.client.CourierClient;
import dev.courier.protocol.Frame;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Prints the broker's figures per topic and group (a stats frame).")
final class StatsCommand implements Callable<Integer> {
  /** A broker on the same machine answers in microseconds; this only bounds a hung one. */
  private static final long REPLY_TIMEOUT_SECONDS = 10;

  @Mixin
  Endpoint endpoint;

  @Option(names = "--json", description = "print the raw snapshot as JSON")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      endpoint.validate();
    } catch (Usage.Mistake e) {
      return Usage.report("stats", e);
    }
    Vertx vertx = CourierClient.newVertx();
    try {
      JsonObject snapshot = fetchEveryPage(vertx);
      PrintWriter out = spec.commandLine().getOut();
      out.println(json ? snapshot.encodePrettily() : table(snapshot));
      out.flush();
      return 0;
    } catch (Exception e) {
      spec.commandLine().getErr().println("courier stats: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    } finally {
      vertx.close().await();
    }
  }

  /**
   * A reply holds one page of topics (at most max_frame_bytes): asks for the next page from each
   * reply's {@code next} until the last, and joins them into one snapshot shaped as a single
   * page, with the totals and connection count of the first.
   */
  private JsonObject fetchEveryPage(Vertx vertx) throws Exception {
    // A broker with users answers stats only to a registered admin: the link registers first.
    try (OperatorLink link = new OperatorLink(vertx, endpoint, "stats", REPLY_TIMEOUT_SECONDS,
        frame -> frame instanceof Frame.StatsReply stats ? stats.snapshot() : null)) {
      JsonObject all = null;
      String after = null;
      do {
        Object reply = link.ask(new Frame.Stats(after, Frame.Stats.NO_LIMIT));
        @SuppressWarnings("unchecked")
        JsonObject page = new JsonObject((Map<String, Object>) reply);
        after = (String) page.remove("next");
        if (all == null) {
          all = page;
        } else {
          all.getJsonArray("topics").addAll(page.getJsonArray("topics", new JsonArray()));
        }
      } while (after != null);
      return all;
    }
  }

  static String table(JsonObject snapshot) {
    StringBuilder out = new StringBuilder();
    JsonObject broker = snapshot.getJsonObject("broker", new JsonObject());
    out.append(String.format("connections %d, published %d, delivered %d, acked %d, redelivered %d%s%n",
        snapshot.getInteger("connections", 0), broker.getLong("published", 0L), broker.getLong("delivered", 0L),
        broker.getLong("acked", 0L), broker.getLong("redelivered", 0L),
        broker.getBoolean("draining", false) ? ", DRAINING" : ""));
    String format = "%-24s %-16s %10s %9s %9s %12s %12s %12s %10s%n";
    out.append(String.format(format, "TOPIC", "GROUP", "READY", "IN-FLIGHT", "CONSUMERS", "DELIVERED", "ACKED",
        "REDELIVERED", "OLDEST-MS"));
    JsonArray topics = snapshot.getJsonArray("topics", new JsonArray());
    for (int t = 0; t < topics.size(); t++) {
      JsonObject topic = topics.getJsonObject(t);
      String name = topic.getString("name") + (topic.getBoolean("full", false) ? " (FULL)" : "");
      JsonArray groups = topic.getJsonArray("groups", new JsonArray());
      if (groups.isEmpty()) {
        out.append(String.format(format, name, "-", topic.getLong("retained_messages", 0L), "-", "-", "-", "-", "-", "-"));
      }
      for (int g = 0; g < groups.size(); g++) {
        JsonObject group = groups.getJsonObject(g);
        out.append(String.format(format, name, group.getString("name"), group.getLong("ready"),
            group.getLong("in_flight"), group.getLong("consumers"), group.getLong("delivered"), group.getLong("acked"),
            group.getLong("redelivered"), group.getLong("oldest_ready_age_millis")));
      }
    }
    return out.toString();
  }
}
