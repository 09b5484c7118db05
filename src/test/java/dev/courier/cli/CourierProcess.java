package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Courier JVM started from the fat jar, with its output lines collected for assertions. */
final class CourierProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
  private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Copies the process's output into {@link #lines} until the pipe closes. */
  private final Thread reader;

  private CourierProcess(List<String> command) throws IOException {
    this(command, null);
  }

  private CourierProcess(List<String> command, Path workingDir) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(withoutStompPort(command)).redirectErrorStream(true);
    if (workingDir != null) {
      builder.directory(workingDir.toFile());
    }
    process = builder.start();
    reader = new Thread(() -> pump(process.getInputStream()), "output-of-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The command with every broker it starts told {@code stomp_port=-1}, unless the command sets
   * stomp_port itself: the default, 61613, is one fixed port for every test and every engineer's
   * tests on this machine. Covers {@code courier.jar broker}, in a list or in a shell line, and
   * {@code BrokerVerticle -conf JSON}.
   */
  private static List<String> withoutStompPort(List<String> command) {
    if (String.join(" ", command).contains("stomp_port")) {
      return command;
    }
    List<String> rewritten = new ArrayList<>();
    boolean brokerVerticle = false;
    for (int i = 0; i < command.size(); i++) {
      String part = command.get(i);
      if (i > 0 && part.equals("broker") && command.get(i - 1).endsWith(".jar")) {
        rewritten.addAll(List.of(part, "--set", "stomp_port=-1"));
        continue;
      }
      if (brokerVerticle && i > 0 && command.get(i - 1).equals("-conf") && part.startsWith("{")) {
        String rest = part.substring(1).trim();
        rewritten.add("{\"stomp_port\":-1" + (rest.startsWith("}") ? "" : ",") + rest);
        continue;
      }
      brokerVerticle |= part.equals("dev.courier.server.BrokerVerticle");
      rewritten.add(part.replace(".jar broker ", ".jar broker --set stomp_port=-1 "));
    }
    return rewritten;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("courier.jar", "target/courier.jar"));
    assertTrue(Files.isRegularFile(jar), "fat jar not built: " + jar.toAbsolutePath());
    return jar;
  }

  /** {@code java -jar courier.jar args...} */
  static CourierProcess role(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", jar().toString()));
    command.addAll(withoutHttp(args));
    return new CourierProcess(command);
  }

  /** {@code java jvmOptions... -jar courier.jar args...}, e.g. with the options a bench broker gets. */
  static CourierProcess roleWithJvmOptions(List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(withoutHttp(args));
    return new CourierProcess(command);
  }

  /**
   * A broker's arguments with {@code http_port=-1} first (a later {@code --set} still wins): test
   * brokers run side by side, and the default 8081 is one port for them all.
   */
  static List<String> withoutHttp(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.isEmpty() && all.get(0).equals("broker")) {
      all.addAll(1, List.of("--set", "http_port=-1"));
    }
    return all;
  }

  /** Verticle {@code -conf} JSON with {@code "http_port": -1} unless it names one (see {@link #withoutHttp}). */
  static String withoutHttp(String confJson) {
    return confJson.contains("\"http_port\"") ? confJson : confJson.replaceFirst("^\\{", "{\"http_port\":-1,");
  }

  /** Any command, run in {@code workingDir}, e.g. a command line copied from the README. */
  static CourierProcess command(Path workingDir, List<String> command) throws IOException {
    return new CourierProcess(command, workingDir);
  }

  static String java() {
    return javaBinary();
  }

  long pid() {
    return process.pid();
  }

  /** {@code java -cp courier.jar VertxApplication verticle -conf json} */
  static CourierProcess verticle(String verticleClass, String confJson) throws IOException {
    return new CourierProcess(List.of(javaBinary(), "-Xmx256m", "-cp", jar().toString(),
        "io.vertx.launcher.application.VertxApplication", verticleClass, "-conf", withoutHttp(confJson)));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits for the broker's "listening on" line and returns the port it bound. */
  int awaitListeningPort(Duration timeout) throws InterruptedException {
    Matcher matcher = awaitLine(LISTENING, timeout);
    return Integer.parseInt(matcher.group(1));
  }

  /** Waits for an output line matching {@code pattern}, failing with the output so far. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        fail("no line matching " + pattern + " within " + timeout + "; output:\n" + output());
      }
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
  }

  /** True when the process ended within {@code timeout}; it is left running otherwise. */
  boolean exitsWithin(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("process did not exit within " + timeout + "; output:\n" + output());
    }
    // The process has gone but its last lines may still be in the pipe: a test that reads the
    // output right after the exit must see all of it.
    reader.join(timeout.toMillis());
    return process.exitValue();
  }

  /**
   * SIGTERM, as a service manager would send. Not {@link Process#destroy()}: that also closes the
   * child's output pipe, and the lines it logs while shutting down are what tests check.
   */
  void terminate() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -TERM " + process.pid() + " failed");
    }
  }

  /** SIGKILL: the JVM dies at once, with no shutdown hook, drain or storage close. */
  void kill() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-KILL", String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -KILL " + process.pid() + " failed");
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      fail("process " + process.pid() + " still alive after SIGKILL");
    }
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  private void pump(InputStream stream) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        pending.add(line);
      }
    } catch (IOException e) {
      lines.add("(output reader stopped: " + e + ")");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
