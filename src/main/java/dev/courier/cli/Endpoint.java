package dev.courier.cli;

import dev.courier.client.ClientTls;
import dev.courier.client.Credentials;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The broker address every role takes, how to reach it over TLS, and who to register as. */
final class Endpoint {
  @Option(names = "--host", description = "broker host (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", description = "broker port (default: ${DEFAULT-VALUE})", defaultValue = "8080")
  int port;

  @Mixin
  TlsOptions tlsOptions;

  @Mixin
  UserOptions credentialOptions;

  /**
   * Before connecting: a client needs a real port (0 only means "any" to a listener); then the
   * TLS and user options.
   */
  void validate() {
    Usage.require(host != null && !host.isBlank(), "--host must not be empty");
    Usage.require(port >= 1 && port <= 65535, "--port must be 1..65535, was " + port);
    tlsOptions.validate();
    credentialOptions.validate();
  }

  /** The credentials given, after {@link #validate()}; none without --user. */
  Credentials credentials() {
    return credentialOptions.credentials();
  }

  /** The TLS settings given, after {@link #validate()}. */
  ClientTls tls() {
    return tlsOptions.clientTls();
  }
}
