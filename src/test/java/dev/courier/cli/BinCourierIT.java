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

  @Test
  void binCourierMapsTheClassArchiveToolsWroteForItsJarAndRunsWithoutOneOtherwise() throws Exception {
    Path jar = Files.copy(CourierProcess.jar(), dir.resolve("courier.jar"));
    Path archive = dir.resolve("courier.jsa");
    Process tool = new ProcessBuilder("sh", "tools/cds-archive.sh", jar.toString(), archive.toString())
        .redirectErrorStream(true).start();
    String toolOutput = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tool.waitFor(), toolOutput);
    assertTrue(Files.size(archive) > 0, toolOutput);
    assertTrue(mapsArchive(jar, "data-with-archive", archive));
    // A jar written after the archive (a rebuild) runs without it rather than against stale classes.
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertTrue(!mapsArchive(jar, "data-after-rebuild", archive));
  }

  /** Starts bin/courier on {@code jar}; whether its JVM mapped {@code archive}; stops it (exit 0). */
  private boolean mapsArchive(Path jar, String dataName, Path archive) throws Exception {
    Path dataDir = dir.resolve(dataName);
    List<String> command = List.of("env", "-u", "JAVA_OPTS", "COURIER_JAR=" + jar, "sh", "bin/courier", "broker",
        "--host", "127.0.0.1", "--port", "0", "--set", "data_dir=" + dataDir, "--set", "stomp_port=-1",
        "--set", "http_port=-1");
    try (CourierProcess broker = CourierProcess.command(Path.of("").toAbsolutePath(), command)) {
      broker.awaitListeningPort(START);
      ProcessHandle jvm = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(false))
          .findFirst().orElseThrow(() -> new AssertionError("no broker JVM for " + dataDir));
      boolean mapped = Files.readAllLines(Path.of("/proc", Long.toString(jvm.pid()), "maps")).stream()
          .anyMatch(line -> line.endsWith(archive.toString()));
      broker.terminate();
      assertEquals(0, broker.awaitExit(START), broker.output());
      assertTrue(!broker.output().contains("cds"), broker.output());
      return mapped;
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
