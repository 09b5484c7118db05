package dev.courier.cli;

import dev.courier.client.Credentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Who a client role registers as, for a broker with a users file; the password never on the command line. */
final class UserOptions {
  /** Where --user finds its password when no --password-file is given. */
  static final String PASSWORD_VARIABLE = "COURIER_PASSWORD";

  @Option(names = "--user", paramLabel = "NAME",
      description = "register as this user of the broker's users_file; the password comes from --password-file or "
          + "the environment variable " + PASSWORD_VARIABLE)
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "with --user: the password is this file's first line (keeps it out of the process list)")
  String passwordFile;

  void validate() {
    Usage.require(user != null || passwordFile == null, "--password-file needs --user");
    Usage.require(user == null || !user.isBlank(), "--user must not be empty");
    Usage.require(user == null || passwordFile != null || System.getenv(PASSWORD_VARIABLE) != null,
        "--user " + user + " needs a password: --password-file FILE or the environment variable " + PASSWORD_VARIABLE);
    Usage.require(passwordFile == null || Files.isReadable(Path.of(passwordFile)),
        "--password-file " + passwordFile + " is not a readable file");
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
}
