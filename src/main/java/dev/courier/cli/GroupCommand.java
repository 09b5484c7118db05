package dev.courier.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The changes to one group through the HTTP API (docs/HTTP.md): {@code purge}, {@code pause},
 * {@code resume} and {@code delete-group}, each a command of its own that prints one sentence.
 */
abstract class GroupCommand implements Callable<Integer> {
  @Mixin
  ApiEndpoint api;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "the topic")
  String topic;

  @Parameters(index = "1", paramLabel = "GROUP", description = "the group")
  String group;

  @Spec
  CommandSpec spec;

  /** The HTTP method and the path after the group's ({@code /purge}, or empty). */
  private final String method;
  private final String action;

  GroupCommand(String method, String action) {
    this.method = method;
    this.action = action;
  }

  /** What the command prints once the broker answered. */
  abstract String sentence(JsonObject answer);

  @Override
  public Integer call() {
    String name = spec.name();
    try {
      api.validate();
    } catch (Usage.Mistake e) {
      return Usage.report(name, e);
    }
    try {
      JsonObject answer = api.call(method, "/api/v1/topics/" + ApiEndpoint.path(topic) + "/groups/"
          + ApiEndpoint.path(group) + action);
      spec.commandLine().getOut().println(sentence(answer));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (Exception e) {
      return ApiCommands.failed(spec, name, e);
    }
  }

  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = "Drops the ready messages of a group (not those in flight), through the HTTP API.")
  static final class Purge extends GroupCommand {
    Purge() {
      super("POST", "/purge");
    }

    @Override
    String sentence(JsonObject answer) {
      return "purged " + answer.getLong("purged") + " ready messages of " + topic + "/" + group;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Stops deliveries to a group's consumers until resume (or a restart), through the HTTP API.")
  static final class Pause extends GroupCommand {
    Pause() {
      super("POST", "/pause");
    }

    @Override
    String sentence(JsonObject answer) {
      return topic + "/" + group + " is paused: no deliveries until resume";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resumes deliveries to a paused group, through the HTTP API.")
  static final class Resume extends GroupCommand {
    Resume() {
      super("POST", "/resume");
    }

    @Override
    String sentence(JsonObject answer) {
      return topic + "/" + group + " delivers again";
    }
  }

  @Command(name = "delete-group", mixinStandardHelpOptions = true,
      description = "Deletes a group that has no consumers, with its ready messages, for good, through the HTTP API.")
  static final class DeleteGroup extends GroupCommand {
    DeleteGroup() {
      super("DELETE", "");
    }

    @Override
    String sentence(JsonObject answer) {
      return "deleted " + topic + "/" + group + " (" + answer.getLong("dropped") + " ready messages dropped)";
    }
  }
}
