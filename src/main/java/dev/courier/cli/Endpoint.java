package dev.courier.cli;

import dev.courier.client.ClientTls;
import dev.courier.client.Credentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Option(names = "--user", paramLabel = "NAME",
      description = "register as this user of the broker's users_file; the password comes from --password-file or "
          + "the environment variable " + Endpoint.PASSWORD_VARIABLE)
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "with --user: the password is this file's first line (keeps it out of the process list)")
  String passwordFile;

  /** Where --user finds its password when no --password-file is given. */
  static final String PASSWORD_VARIABLE = "COURIER_PASSWORD";

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
    Usage.require(user != null || passwordFile == null, "--password-file needs --user");
    Usage.require(user == null || passwordFile != null || System.getenv(PASSWORD_VARIABLE) != null,
        "--user " + user + " needs a password: --password-file FILE or the environment variable " + PASSWORD_VARIABLE);
    Usage.require(user == null || !user.isBlank(), "--user must not be empty");
    readable("--password-file", passwordFile);
  }

  /** The credentials given, after {@link #validate()}; none without --user. */
  Credentials credentials() {
    if (user == null) {
      return Credentials.NONE;
    }
    if (passwordFile == null) {
      return new Credentials(user, System.getenv(PASSWORD_VARIABLE));
    }
    try (BufferedReader reader = Files.newBufferedReader(Path.of(passwordFile), StandardCharsets.UTF_8)) {
      String line = reader.readLine();
      Usage.require(line != null && !line.isEmpty(), "--password-file " + passwordFile + " has no password on its first line");
      return new Credentials(user, line);
    } catch (IOException e) {
      throw new Usage.Mistake("--password-file " + passwordFile + " cannot be read: " + e.getMessage());
    }
  }

  private static void readable(String option, String file) {
    Usage.require(file == null || Files.isReadable(Path.of(file)), option + " " + file + " is not a readable file");
  }

  /** The TLS settings given, after {@link #validate()}. */
  ClientTls tls() {
    return new ClientTls(tls, caFile, certFile, keyFile);
  }
}
