package dev.courier.cli;

import dev.courier.client.ClientTls;
import dev.courier.client.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The broker address every role takes, how to reach it over TLS, and who to register as. */
final class Endpoint {
  @Option(names = "--host", description = "broker host (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", description = "broker port (default: ${DEFAULT-VALUE})", defaultValue = "8080")
  int port;

  @Option(names = "--tls", description = "connect over TLS; the broker's certificate must name --host")
  boolean tls;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "with --tls: trust the broker certificates these CAs signed (default: the JVM's trusted CAs)")
  String caFile;

  @Option(names = "--cert-file", paramLabel = "PEM",
      description = "with --tls: this client certificate, for a broker that requires one (with --key-file)")
  String certFile;

  @Option(names = "--key-file", paramLabel = "PEM", description = "with --tls: the private key of --cert-file")
  String keyFile;

  @Mixin
  UserOptions credentialOptions;

  /**
   * Before connecting: a client needs a real port (0 only means "any" to a listener), and TLS
   * files only with --tls, a certificate with its key, each file readable.
   */
  void validate() {
    Usage.require(host != null && !host.isBlank(), "--host must not be empty");
    Usage.require(port >= 1 && port <= 65535, "--port must be 1..65535, was " + port);
    Usage.require(tls || (caFile == null && certFile == null && keyFile == null),
        "--ca-file, --cert-file and --key-file need --tls");
    Usage.require((certFile == null) == (keyFile == null), "--cert-file and --key-file go together");
    readable("--ca-file", caFile);
    readable("--cert-file", certFile);
    readable("--key-file", keyFile);
    credentialOptions.validate();
  }

  private static void readable(String option, String file) {
    Usage.require(file == null || Files.isReadable(Path.of(file)), option + " " + file + " is not a readable file");
  }

  /** The credentials given, after {@link #validate()}; none without --user. */
  Credentials credentials() {
    return credentialOptions.credentials();
  }

  /** The TLS settings given, after {@link #validate()}. */
  ClientTls tls() {
    return new ClientTls(tls, caFile, certFile, keyFile);
  }
}
