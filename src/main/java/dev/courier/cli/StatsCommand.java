package dev.courier.cli;

import dev.courier.client.FrameConnection;
import dev.courier.protocol.Frame;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Prints the broker's figures per topic and group (a stats frame).")
final class StatsCommand implements Callable<Integer> {
  /** A broker on the same machine answers in microseconds; this only bounds a hung one. */
  private static final long REPLY_TIMEOUT_SECONDS = 10;

  @Mixin
  Endpoint endpoint;

  @Option(names = "--json", description = "print the raw snapshot as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Promise<Map<String, Object>> reply = Promise.promise();
      FrameConnection connection = FrameConnection.open(vertx, endpoint.host, endpoint.port, null, frame -> {
        if (frame instanceof Frame.StatsReply stats) {
          @SuppressWarnings("unchecked")
          Map<String, Object> snapshot = (Map<String, Object>) stats.snapshot();
          reply.tryComplete(snapshot);
        } else if (frame instanceof Frame.Error error) {
          reply.tryFail(error.message());
        }
      }).await();
      connection.send(new Frame.Stats());
      JsonObject snapshot = new JsonObject(reply.future().await(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      connection.close();
      System.out.println(json ? snapshot.encodePrettily() : table(snapshot));
      return 0;
    } catch (Exception e) {
      System.err.println("courier stats: " + e.getMessage());
      return 1;
    } finally {
      vertx.close().await();
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
