package dev.courier.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "Lists the broker's topics with their figures and publish rate, through the HTTP API.")
final class TopicsCommand implements Callable<Integer> {
  /** Topics per request: the API's largest page. */
  private static final int PAGE = 1_000;

  @Mixin
  ApiEndpoint api;

  @Option(names = "--search", paramLabel = "TEXT", description = "only topics whose name contains TEXT")
  String search = "";

  @Option(names = "--json", description = "print the topics as JSON")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try {
      api.validate();
    } catch (Usage.Mistake e) {
      return Usage.report("topics", e);
    }
    try {
      JsonArray topics = new JsonArray();
      int total;
      do {
        JsonObject page = api.call("GET", "/api/v1/topics?limit=" + PAGE + "&offset=" + topics.size() + "&q="
            + ApiEndpoint.path(search));
        total = page.getInteger("total");
        topics.addAll(page.getJsonArray("topics"));
        if (page.getJsonArray("topics").isEmpty()) {
          break;
        }
      } while (topics.size() < total);
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? topics.encodePrettily() + System.lineSeparator() : table(topics));
      out.flush();
      return 0;
    } catch (Exception e) {
      return ApiCommands.failed(spec, "topics", e);
    }
  }

  static String table(JsonArray topics) {
    StringBuilder out = new StringBuilder();
    String format = "%-24s %12s %10s %10s %9s %9s %9s %7s%n";
    out.append(String.format(format, "TOPIC", "PUBLISHED", "MSG/S", "RETAINED", "READY", "IN-FLIGHT", "CONSUMERS",
        "GROUPS"));
    for (int i = 0; i < topics.size(); i++) {
      JsonObject t = topics.getJsonObject(i);
      out.append(String.format(format, t.getString("name") + (t.getBoolean("full", false) ? " (FULL)" : ""),
          t.getLong("published"), String.format("%.2f", t.getDouble("publish_rate")), t.getLong("retained_messages"),
          t.getLong("ready"), t.getLong("unacked"), t.getLong("consumers"), t.getLong("group_count")));
    }
    return out.toString();
  }
}
