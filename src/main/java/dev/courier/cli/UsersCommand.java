package dev.courier.cli;

import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code courier users add NAME ...}: edits the users file (docs/SECURITY.md). */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "Manages the users file a broker reads at start (users_file).",
    subcommands = UsersCommand.Add.class)
final class UsersCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a sub-command: add");
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds a user to the users file, or replaces the one of that name; creates the file if needed.",
          "The password is asked for twice on a terminal, or read as the first line of standard input.",
          "A running broker reads the file only at start: restart it to apply."})
  static final class Add implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the user name")
    String name;

    @Option(names = "--file", paramLabel = "FILE", defaultValue = "users.json",
        description = "the users file (default: ${DEFAULT-VALUE})")
    Path file;

    @Option(names = "--publish", split = ",", paramLabel = "PATTERN",
        description = "topics the user may publish to: a name, a prefix like 'orders.*', '*', or '!pattern' to deny")
    List<String> publish = new ArrayList<>();

    @Option(names = "--consume", split = ",", paramLabel = "PATTERN", description = "topics the user may consume and read the history of")
    List<String> consume = new ArrayList<>();

    @Option(names = "--admin", split = ",", paramLabel = "PATTERN", description = "topics the user may change; '*' also allows stats")
    List<String> admin = new ArrayList<>();

    @Option(names = "--cost", defaultValue = "" + PasswordHash.DEFAULT_COST, paramLabel = "N",
        description = "bcrypt cost, 4..31 (default: ${DEFAULT-VALUE}); each step doubles the time of a check")
    int cost;

    @Option(names = "--password-stdin",
        description = "read the password as the first line of standard input even on a terminal")
    boolean passwordFromStdin;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      User user;
      try {
        Users.checkName(name);
        if (cost < 4 || cost > 31) {
          throw new IllegalArgumentException("--cost must be 4..31, was " + cost);
        }
        Permissions permissions = new Permissions(new TopicPatterns(publish), new TopicPatterns(consume),
            new TopicPatterns(admin));
        String password = readPassword();
        user = new User(name, PasswordHash.hash(password, cost), permissions);
      } catch (IllegalArgumentException | IOException e) {
        err.println("courier users add: " + e.getMessage());
        err.flush();
        return 2;
      }
      try {
        Users users = Users.loadOrEmpty(file);
        boolean replaced = users.find(name) != null;
        users.with(user).write(file);
        PrintWriter out = spec.commandLine().getOut();
        out.println((replaced ? "replaced" : "added") + " user " + name + " in " + file + " (publish " + publish
            + ", consume " + consume + ", admin " + admin + "); restart the broker to apply");
        out.flush();
        return 0;
      } catch (IOException e) {
        err.println("courier users add: " + e.getMessage());
        err.flush();
        return 1;
      }
    }

    /** Asked twice on a terminal; otherwise the first line of standard input (for scripts). */
    private String readPassword() throws IOException {
      Console console = passwordFromStdin ? null : System.console();
      if (console != null) {
        char[] first = console.readPassword("password for %s: ", name);
        char[] second = console.readPassword("again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
          throw new IllegalArgumentException("the passwords differ");
        }
        String password = new String(first);
        PasswordHash.checkLength(password);
        return password;
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) {
        throw new IllegalArgumentException("no password: give it as the first line of standard input");
      }
      PasswordHash.checkLength(line);
      return line;
    }
  }
}
