package dev.courier.cli;

import picocli.CommandLine.Model.CommandSpec;

/** What the commands that go through the HTTP API share: one sentence on stderr and exit 1 when it refuses. */
final class ApiCommands {
  private ApiCommands() {}

  static int failed(CommandSpec spec, String command, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    spec.commandLine().getErr().println("courier " + command + ": " + e.getMessage());
    spec.commandLine().getErr().flush();
    return 1;
  }
}
