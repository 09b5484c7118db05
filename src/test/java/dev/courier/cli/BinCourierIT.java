package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: bin/courier starts the fat jar with the broker's tuned JVM options. */
@Timeout(120)
class BinCourierIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void binCourierStartsTheBrokerWithTheShippedJvmOptionsAndTwoMallocArenas() throws Exception {
    Path dataDir = dir.resolve("data-bin-courier");
    List<String> command = List.of("env", "-u", "JAVA_OPTS", "-u", "MALLOC_ARENA_MAX",
        "COURIER_JAR=" + CourierProcess.jar().toAbsolutePath(), "sh", "bin/courier", "broker", "--host", "127.0.0.1",
        "--port", "0", "--set", "data_dir=" + dataDir, "--set", "stomp_port=-1", "--set", "http_port=-1");
    try (CourierProcess broker = CourierProcess.command(Path.of("").toAbsolutePath(), command)) {
      broker.awaitListeningPort(START);
      // The launcher execs java, so the JVM is the process whose command line names this data dir.
      ProcessHandle jvm = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(false))
          .findFirst().orElseThrow(() -> new AssertionError("no broker JVM for " + dataDir));
      List<String> arguments = nulSeparated(Path.of("/proc", Long.toString(jvm.pid()), "cmdline"));
      for (String option : shippedOptions()) {
        assertTrue(arguments.contains(option), option + " missing from " + arguments);
      }
      assertTrue(nulSeparated(Path.of("/proc", Long.toString(jvm.pid()), "environ")).contains("MALLOC_ARENA_MAX=2"));
      broker.terminate();
      assertEquals(0, broker.awaitExit(START), broker.output());
    }
  }

  private static List<String> shippedOptions() throws Exception {
    try (InputStream in = BinCourierIT.class.getResourceAsStream("/dev/courier/bench/broker-jvm.options")) {
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
    }
  }

  private static List<String> nulSeparated(Path file) throws Exception {
    return Arrays.asList(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0"));
  }
}
