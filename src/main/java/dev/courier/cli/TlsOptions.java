package dev.courier.cli;

import dev.courier.client.ClientTls;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How every client role reaches a broker port that speaks TLS, and which certificate it shows. */
final class TlsOptions {
  @Option(names = "--tls", description = "connect over TLS; the broker's certificate must name the host connected to "
      + "(for brokers the bench starts: --broker-set tls_cert_file=... --broker-set tls_key_file=..., naming 127.0.0.1)")
  boolean tls;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "with --tls: trust the broker certificates these CAs signed (default: the JVM's trusted CAs)")
  String caFile;

  @Option(names = "--cert-file", paramLabel = "PEM",
      description = "with --tls: this client certificate, for a broker that requires one (with --key-file)")
  String certFile;

  @Option(names = "--key-file", paramLabel = "PEM", description = "with --tls: the private key of --cert-file")
  String keyFile;

  /** TLS files only with --tls, a certificate with its key, each file readable. */
  void validate() {
    Usage.require(tls || (caFile == null && certFile == null && keyFile == null),
        "--ca-file, --cert-file and --key-file need --tls");
    Usage.require((certFile == null) == (keyFile == null), "--cert-file and --key-file go together");
    readable("--ca-file", caFile);
    readable("--cert-file", certFile);
    readable("--key-file", keyFile);
  }

  private static void readable(String option, String file) {
    Usage.require(file == null || Files.isReadable(Path.of(file)), option + " " + file + " is not a readable file");
  }

  /** The TLS settings given, after {@link #validate()}. */
  ClientTls clientTls() {
    return new ClientTls(tls, caFile, certFile, keyFile);
  }
}
