package dev.courier.cli;

import picocli.CommandLine.Option;

/** The broker address every role takes. */
final class Endpoint {
  @Option(names = "--host", description = "broker host (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", description = "broker port (default: ${DEFAULT-VALUE})", defaultValue = "8080")
  int port;

  /** Before connecting: a client needs a real port (0 only means "any" to a listener). */
  void validate() {
    Usage.require(host != null && !host.isBlank(), "--host must not be empty");
    Usage.require(port >= 1 && port <= 65535, "--port must be 1..65535, was " + port);
  }
}
