package dev.courier.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A broker in a JVM of its own ({@code java <options> -jar courier.jar broker --port 0}), so that
 * its CPU time and memory can be measured apart from the bench's. {@link #close()} stops it with
 * SIGTERM, then kills it if it lingers; a shutdown hook does the same if the bench itself is
 * stopped first.
 */
final class BrokerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  /** A cold JVM on a busy 2-core machine can take seconds to bind. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  /** With its clients gone the broker has nothing in flight, so its drain ends at once. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  /** glibc's malloc arenas, as the Makefile and bin/courier cap them (docs/BENCH.md). */
  private static final String DEFAULT_MALLOC_ARENA_MAX = "2";
  /** Output lines kept to explain a broker that fails to start or dies. */
  private static final int TAIL_LINES = 40;

  private final Process process;
  private final int port;
  private final Deque<String> tail;
  private final Thread killOnExit;
  private final Path dataDir;

  private BrokerProcess(Process process, int port, Deque<String> tail, Path dataDir) {
    this.dataDir = dataDir;
    this.process = process;
    this.port = port;
    this.tail = tail;
    this.killOnExit = new Thread(process::destroyForcibly, "kill-broker-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts a broker with the given JVM options and {@code --set} settings, and a data directory of
   * its own that is deleted when it stops, so that every run starts from empty storage.
   */
  static BrokerProcess start(List<String> jvmOptions, List<String> settings) throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("courier-bench-");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", ownJar().toString(), "broker", "--host", "127.0.0.1", "--port", "0",
        "--set", "data_dir=" + dataDir,
        // STOMP's fixed default port would collide between brokers, and a bench broker must not take
        // 8081 from a real one; a scenario may set either again with --broker-set.
        "--set", "stomp_port=-1", "--set", "http_port=-1"));
    for (String setting : settings) {
      command.addAll(List.of("--set", setting));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // As make run and bin/courier launch it, so the bench measures the footprint users get.
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", DEFAULT_MALLOC_ARENA_MAX);
    Process process = builder.start();
    Deque<String> tail = new ArrayDeque<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(process, tail, port), "broker-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    try {
      return new BrokerProcess(process, port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), tail, dataDir);
    } catch (TimeoutException | ExecutionException e) {
      boolean exited = !process.isAlive();
      stop(process);
      pump.join(STOP_GRACE.toMillis()); // its last lines say why it stopped
      deleteRecursively(dataDir);
      String what = exited ? "the broker exited with status " + process.exitValue() + " before listening"
          : "the broker did not start within " + START_TIMEOUT.toSeconds() + " s";
      throw new IOException(what + "; its output:\n" + String.join("\n", snapshot(tail)));
    }
  }

  /** The jar this code runs from: the broker is started from the same build. */
  private static Path ownJar() throws IOException {
    try {
      Path location = Path.of(BrokerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
        throw new IOException("the bench starts its broker from courier.jar, but runs from " + location
            + "; run it with java -jar, or give --host and --port of a running broker");
      }
      return location;
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate courier.jar: " + e.getMessage(), e);
    }
  }

  /** Reads the broker's output to the end, so that its pipe never fills and blocks it. */
  private static void pump(Process process, Deque<String> tail, CompletableFuture<Integer> port) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
        Matcher matcher = LISTENING.matcher(line);
        if (!port.isDone() && matcher.find()) {
          port.complete(Integer.parseInt(matcher.group(1)));
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IOException("the broker's output ended"));
  }

  private static List<String> snapshot(Deque<String> tail) {
    synchronized (tail) {
      return new ArrayList<>(tail);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** CPU seconds so far and peak RSS; fails if the broker has exited. */
  ProcessUsage usage() throws IOException {
    if (!process.isAlive()) {
      throw new IOException("the broker exited with status " + process.exitValue() + "; its output:\n"
          + String.join("\n", snapshot(tail)));
    }
    return ProcessUsage.of(process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs anyway, and the broker is gone by now.
      assert !process.isAlive();
    }
    deleteRecursively(dataDir);
  }

  private static void deleteRecursively(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e.getMessage());
    }
  }

  /** SIGTERM, which lets the broker drain; SIGKILL if it is still there after the grace time. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
