package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, item 1: the broker started by the Vert.x launcher, as the README shows it. */
@Timeout(120)
class LauncherIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final String LAUNCHER = "io.vertx.launcher.application.VertxApplication";
  private static final String BROKER = "dev.courier.server.BrokerVerticle";

  @TempDir
  Path dir;

  @Test
  void theReadmeLauncherExampleRunsWithTheShippedConfigAndDrainsToExitZeroOnSigterm() throws Exception {
    Path launcherDir = Files.createDirectory(dir.resolve("launcher"));
    String launcher = publishOneAndStop(launcherDir, List.of("-cp", CourierProcess.jar().toAbsolutePath().toString(),
        LAUNCHER, BROKER, "-options", "{\"preferNativeTransport\":true}", "-conf", shippedConfig(launcherDir)));
    assertTrue(launcher.contains("drained: 0 in-flight messages acked during shutdown"), launcher);
    assertTrue(launcher.contains("1 messages still queued or unacked stay stored for the next start"), launcher);
    assertTrue(launcher.contains("Courier broker stopped"), launcher);

    // The fat jar on the same settings, doing the same, says the same, line for line.
    Path fatJarDir = Files.createDirectory(dir.resolve("fat-jar"));
    String fatJar = publishOneAndStop(fatJarDir, List.of("-jar", CourierProcess.jar().toAbsolutePath().toString(),
        "broker", "--config", shippedConfig(fatJarDir)));
    assertEquals(lifecycle(launcher, launcherDir), lifecycle(fatJar, fatJarDir));
  }

  /** Starts a broker in {@code workingDir}, publishes one message, sends SIGTERM; exit 0 and its output. */
  private static String publishOneAndStop(Path workingDir, List<String> args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(CourierProcess.java(), "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(args);
    try (CourierProcess broker = CourierProcess.command(workingDir, command)) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "kept")) {
        assertEquals(0, producer.awaitExit(START), producer.output());
      }
      broker.terminate();
      assertEquals(0, broker.awaitExit(START), broker.output());
      return broker.output();
    }
  }

  @Test
  void aLauncherStartThatFailsSaysWhyInOneLineWithoutAStackTrace() throws Exception {
    try (CourierProcess broker = CourierProcess.verticle(BROKER, "{\"port\":0,\"ack_timeout_ms\":\"abc\"}")) {
      assertEquals(15, broker.awaitExit(START), broker.output());
      assertTrue(broker.output().contains("ERROR BrokerVerticle - Courier broker cannot start: -conf: ack_timeout_ms:"
          + " \"abc\" is not a whole number"), broker.output());
      assertFalse(broker.output().contains("\tat "), broker.output());
      assertEquals(1, broker.output().lines().count(), broker.output());
    }
  }

  /** conf/broker.json as shipped, in the working directory, but on a free port (tests never use 8080). */
  private static String shippedConfig(Path workingDir) throws Exception {
    Path conf = workingDir.resolve("conf");
    Files.createDirectories(conf);
    String shipped = Files.readString(Path.of("conf/broker.json"));
    assertTrue(shipped.contains("\"port\": 8080,"), shipped);
    assertTrue(shipped.contains("\"http_port\": 8081,"), shipped);
    Files.writeString(conf.resolve("broker.json"), shipped.replace("\"port\": 8080,", "\"port\": 0,")
        .replace("\"stomp_port\": 61613,", "\"stomp_port\": -1,") // STOMP's default port is fixed
        .replace("\"http_port\": 8081,", "\"http_port\": -1,"));
    return "conf/broker.json";
  }

  /** The log lines without their times, numbers that vary (pid, port, milliseconds) and WARNs. */
  private static String lifecycle(String output, Path workingDir) {
    return String.join("\n", output.lines()
        .filter(line -> line.contains(" INFO "))
        .map(line -> line.substring(line.indexOf(" INFO ")).replace(workingDir.toString(), "DIR"))
        .map(line -> line.replaceAll("pid \\d+", "pid N").replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:N")
            .replaceAll("in \\d+ ms", "in N ms").replaceAll("after \\d+ forces", "after N forces"))
        .toList());
  }
}
