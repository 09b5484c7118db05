package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every command of every {@code sh} block of README.md, so the README can never again show a
 * command that fails. A block preceded by {@code <!-- readme-test: skip (why) -->} is not run (make
 * targets, minutes of bench load). Commands run in a scratch folder holding a copy of conf/, in
 * README order, against one broker on a free port: the README's ports (8080, 9000) become that
 * port for clients (given as --port 8080 to those relying on the default) and 0 for the brokers a
 * command starts itself. A broker command must start
 * listening and exit 0 on SIGTERM; any other command must exit 0 by itself, or, if it is still
 * running after a few seconds (a consumer waiting for more), on SIGTERM as after Ctrl+C.
 */
@Timeout(300)
class ReadmeIT {
  private static final Duration START = Duration.ofSeconds(30);
  /**
   * How long a consumer runs before it is stopped; long enough to receive what the README's
   * earlier commands published. Stopped while it still connects, it says so and exits 0 too.
   */
  private static final Duration RUNS_ON_ITS_OWN = Duration.ofSeconds(4);
  /**
   * A consumer waits for more messages (or for its {@code --count}) until it is stopped; every
   * other client ends by itself, however long a loaded machine takes to start its JVM.
   */
  private static final Pattern RUNS_UNTIL_STOPPED = Pattern.compile("courier\\.jar consumer\\b");
  private static final Pattern PORT = Pattern.compile("\\b(8080|9000)\\b");
  private static final Pattern CLIENT_ROLE = Pattern.compile("courier\\.jar (producer|consumer|stats|redrive|bench)\\b");

  @TempDir
  Path dir;

  @Test
  void everyCommandOfTheReadmeWorksAsShown() throws Exception {
    List<String> commands = commands(Files.readAllLines(Path.of("README.md")));
    assertTrue(commands.size() >= 8, "too few README commands found: " + commands);
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("broker.json"),
        Files.readString(Path.of("conf/broker.json")).replace("\"port\": 8080,", "\"port\": 0,")
            .replace("\"stomp_port\": 61613,", "\"stomp_port\": -1,") // STOMP's default port is fixed
            .replace("\"http_port\": 8081,", "\"http_port\": -1,"));
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set",
        "data_dir=" + dir.resolve("shared-data"))) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      for (String command : commands) {
        run(command, port);
      }
    }
  }

  private void run(String readmeLine, String port) throws Exception {
    boolean isBroker = readmeLine.contains(" broker ") || readmeLine.contains("BrokerVerticle");
    // A README broker would take the default http_port 8081, which brokers of other tests may hold.
    String withPort = isBroker && readmeLine.contains(" broker ") ? readmeLine + " --set http_port=-1" : readmeLine;
    if (!isBroker && CLIENT_ROLE.matcher(readmeLine).find() && !readmeLine.contains("--port")) {
      withPort = readmeLine + " --port 8080"; // the default the README relies on, made explicit
    }
    String line = PORT.matcher(withPort).replaceAll(isBroker ? "0" : port)
        .replace("target/courier.jar", CourierProcess.jar().toAbsolutePath().toString())
        .replaceAll("(^|\\| *)java ", "$1" + CourierProcess.java() + " ");
    // exec: the signal then reaches java itself, not a shell waiting for it.
    String script = line.contains("|") ? line : "exec " + line;
    try (CourierProcess process = CourierProcess.command(dir, List.of("bash", "-c", script))) {
      if (isBroker) {
        process.awaitListeningPort(START);
        process.terminate();
      } else if (RUNS_UNTIL_STOPPED.matcher(readmeLine).find() && !process.exitsWithin(RUNS_ON_ITS_OWN)) {
        process.terminate();
      }
      assertEquals(0, process.awaitExit(START), readmeLine + "\n" + process.output());
      assertFalse(process.output().contains("Exception"), readmeLine + "\n" + process.output());
    }
  }

  /** The commands of the runnable sh blocks: continuations joined, trailing comments cut. */
  static List<String> commands(List<String> readme) {
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    boolean skip = false;
    String previous = "";
    StringBuilder pending = new StringBuilder();
    for (String line : readme) {
      if (!inBlock && line.startsWith("```sh")) {
        inBlock = true;
        skip = previous.startsWith("<!-- readme-test: skip");
      } else if (inBlock && line.startsWith("```")) {
        inBlock = false;
      } else if (inBlock && !skip) {
        String code = line.replaceAll("\\s+#\\s.*$", "").strip();
        if (code.endsWith("\\")) {
          pending.append(code, 0, code.length() - 1).append(' ');
        } else if (!code.isEmpty() || pending.length() > 0) {
          commands.add(pending.append(code).toString().strip());
          pending.setLength(0);
        }
      }
      if (!line.isBlank()) {
        previous = line;
      }
    }
    return commands;
  }
}
