package dev.courier.cli;

import dev.courier.client.ClientTls;
import picocli.CommandLine.Option;

/** The broker address every role takes, and how to reach it over TLS. */
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

  /** The TLS settings given; throws IllegalArgumentException for a combination that makes no sense. */
  ClientTls tls() {
    return new ClientTls(tls, caFile, certFile, keyFile);
  }
}
