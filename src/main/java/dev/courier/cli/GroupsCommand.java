package dev.courier.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "groups", mixinStandardHelpOptions = true,
    description = "Lists the groups of a topic with their figures and rates, through the HTTP API.")
final class GroupsCommand implements Callable<Integer> {
  @Mixin
  ApiEndpoint api;

  @Parameters(paramLabel = "TOPIC", description = "the topic")
  String topic;

  @Option(names = "--json", description = "print the groups as JSON")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try {
      api.validate();
    } catch (Usage.Mistake e) {
      return Usage.report("groups", e);
    }
    try {
      JsonArray groups = api.call("GET", "/api/v1/topics/" + ApiEndpoint.path(topic) + "/groups").getJsonArray("groups");
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? groups.encodePrettily() + System.lineSeparator() : table(groups));
      out.flush();
      return 0;
    } catch (Exception e) {
      return ApiCommands.failed(spec, "groups", e);
    }
  }

  static String table(JsonArray groups) {
    StringBuilder out = new StringBuilder();
    String format = "%-16s %9s %9s %9s %12s %12s %12s %10s %10s%n";
    out.append(String.format(format, "GROUP", "READY", "IN-FLIGHT", "CONSUMERS", "DELIVERED", "ACKED", "REDELIVERED",
        "DELIVER/S", "ACK/S"));
    for (int i = 0; i < groups.size(); i++) {
      JsonObject g = groups.getJsonObject(i);
      out.append(String.format(format, g.getString("name") + (g.getBoolean("paused", false) ? " (PAUSED)" : ""),
          g.getLong("ready"), g.getLong("unacked"), g.getLong("consumers"), g.getLong("delivered"), g.getLong("acked"),
          g.getLong("redelivered"), String.format("%.2f", g.getDouble("deliver_rate")),
          String.format("%.2f", g.getDouble("ack_rate"))));
    }
    return out.toString();
  }
}
