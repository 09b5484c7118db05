package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client roles' mistakes (issue 10, items 2 to 4): what a user types wrong, and what the broker refuses. */
@Timeout(120)
class ClientMistakesIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  @Test
  void producerOptionMistakesAreRefusedWithOneSentenceAndExitTwoBeforeConnecting() throws Exception {
    // Port 1: nothing listens there, so only a check made before connecting can give exit 2.
    Map<List<String>, String> mistakes = Map.of(
        List.of("--rate", "-1"), "--rate must be 0 (as fast as confirmed) or a positive number of messages a second, was -1",
        List.of("--count", "2", "extra"), "--count 2 generates messages, so it cannot be combined with message arguments (got 1)",
        List.of("--stdin", "a"), "--stdin publishes standard input, so it cannot be combined with message arguments (got 1)",
        List.of("--window", "0"), "--window must be at least 1 unconfirmed publish, was 0",
        List.of("--size", "10", "a"), "--size 10 sets the size of generated messages, so it needs --count N",
        List.of("--topic", ".."), "--topic \"..\" is not a valid name",
        List.of("--port", "0"), "--port must be 1..65535, was 0");
    for (Map.Entry<List<String>, String> mistake : mistakes.entrySet()) {
      assertRefused("producer", mistake.getKey(), mistake.getValue());
    }
  }

  @Test
  void tlsOptionMistakesAreRefusedWithOneSentenceAndExitTwoBeforeConnecting() throws Exception {
    String missing = dataDir.resolve("missing-ca.pem").toString();
    Map<List<String>, String> mistakes = Map.of(
        List.of("--ca-file", "ca.pem"), "--ca-file, --cert-file and --key-file need --tls",
        List.of("--tls", "--cert-file", "c.pem"), "--cert-file and --key-file go together",
        List.of("--tls", "--ca-file", missing), "--ca-file " + missing + " is not a readable file");
    for (Map.Entry<List<String>, String> mistake : mistakes.entrySet()) {
      assertRefused("stats", mistake.getKey(), mistake.getValue());
    }
  }

  @Test
  void consumerOptionMistakesAreRefusedWithOneSentenceAndExitTwoBeforeConnecting() throws Exception {
    Map<List<String>, String> mistakes = Map.of(
        List.of("--prefetch", "-1"), "--prefetch must be at least 1 (0 would never receive anything), was -1",
        List.of("--prefetch", "0"), "--prefetch must be at least 1 (0 would never receive anything), was 0",
        List.of("--count", "-3"), "--count must not be negative, was -3",
        List.of("--no-ack", "--ack-delay", "5"), "--ack-delay 5 delays acks, so it cannot be combined with --no-ack",
        List.of("--group", "a/b"), "--group \"a/b\" is not a valid name",
        List.of("--count", "abc"), "Invalid value for option '--count': 'abc'");
    for (Map.Entry<List<String>, String> mistake : mistakes.entrySet()) {
      assertRefused("consumer", mistake.getKey(), mistake.getValue());
    }
  }

  @Test
  void aRefusedRegisterIsReportedAtOnceWithItsCodeAndAHint() throws Exception {
    try (CourierProcess broker = broker("auto_create_topics=false", "topics=orders")) {
      int port = broker.awaitListeningPort(START);
      long started = System.nanoTime();
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", String.valueOf(port), "--topic", "x")) {
        assertEquals(1, consumer.awaitExit(START), consumer.output());
        assertTrue(consumer.output().contains("courier consumer: the broker at 127.0.0.1:" + port
            + " refused to register: unknown_topic: no topic \"x\" and auto_create_topics is off;"
            + " use a topic listed in the broker's topics setting"), consumer.output());
      }
      // Not the register_timeout (10 s) the connection would otherwise end with.
      assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(8)) < 0);
    }
  }

  @Test
  void aPublishAboveTheFrameLimitNamesTheLimitAndTheLargestSizeThatFits() throws Exception {
    try (CourierProcess broker = broker("max_frame_bytes=1024")) {
      int port = broker.awaitListeningPort(START);
      try (CourierProcess producer = CourierProcess.role("producer", "--port", String.valueOf(port),
          "--count", "3", "--size", "2000")) {
        assertEquals(1, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("courier producer: frame_too_large: frame length 2031 exceeds the"
            + " limit of 1024 bytes; the broker's max_frame_bytes is 1024; use --size <= 993"), producer.output());
        assertTrue(producer.output().contains("errors 1 in"), producer.output());
      }
      try (CourierProcess producer = CourierProcess.role("producer", "--port", String.valueOf(port),
          "--count", "3", "--size", "993")) {
        assertEquals(0, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("sent 3, confirmed 3, errors 0"), producer.output());
      }
    }
  }

  @Test
  void repeatedBrokerErrorsAreSummarisedInOneLineNotOneLineEach() throws Exception {
    try (CourierProcess broker = broker("max_topic_messages=1", "overflow=reject")) {
      int port = broker.awaitListeningPort(START);
      try (CourierProcess producer = CourierProcess.role("producer", "--port", String.valueOf(port), "--count", "20")) {
        assertEquals(1, producer.awaitExit(START), producer.output());
        String output = producer.output();
        assertTrue(output.contains("sent 20, confirmed 1, errors 19"), output);
        assertTrue(output.contains("(and 18 more like it)"), output);
        assertEquals(1, output.lines().filter(line -> line.contains("topic_full")).count(), output);
      }
    }
  }

  @Test
  void aClientAtAPortThatDoesNotSpeakCourierSaysSoWithinItsDeadline() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread silentAcceptor = acceptor(silent, accepted, null);
      Thread httpAcceptor = acceptor(http, accepted, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      try (CourierProcess producer = CourierProcess.role("producer", "--port", String.valueOf(silent.getLocalPort()));
           CourierProcess stats = CourierProcess.role("stats", "--port", String.valueOf(http.getLocalPort()))) {
        assertEquals(1, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("courier producer: nothing at 127.0.0.1:" + silent.getLocalPort()
            + " speaks Courier: no answer within 5000 ms; check --host and --port"), producer.output());
        assertEquals(1, stats.awaitExit(START), stats.output());
        assertTrue(stats.output().contains("courier stats: nothing at 127.0.0.1:" + http.getLocalPort()
            + " speaks Courier: the peer sent bytes that are not Courier frames"), stats.output());
      } finally {
        silent.close();
        http.close();
        silentAcceptor.join(10_000);
        httpAcceptor.join(10_000);
        synchronized (accepted) {
          for (Socket socket : accepted) {
            socket.close();
          }
        }
      }
    }
  }

  private CourierProcess broker(String... settings) throws IOException {
    List<String> args = new ArrayList<>(List.of("broker", "--port", "0", "--set", "data_dir=" + dataDir));
    for (String setting : settings) {
      args.addAll(List.of("--set", setting));
    }
    return CourierProcess.role(args.toArray(String[]::new));
  }

  private static void assertRefused(String role, List<String> options, String sentence) throws Exception {
    List<String> args = new ArrayList<>(List.of(role));
    if (!options.contains("--port")) {
      args.addAll(List.of("--port", "1"));
    }
    args.addAll(options);
    try (CourierProcess client = CourierProcess.role(args.toArray(String[]::new))) {
      assertEquals(2, client.awaitExit(START), args + ":\n" + client.output());
      String output = client.output();
      assertTrue(output.startsWith("courier " + role + ": " + sentence), args + ":\n" + output);
      assertTrue(output.endsWith("(see courier " + role + " --help)"), args + ":\n" + output);
      assertFalse(output.contains("cannot connect"), args + ":\n" + output);
    }
  }

  /** Accepts connections until closed; answers each with {@code reply} when not null, else says nothing. */
  private static Thread acceptor(ServerSocket server, List<Socket> accepted, String reply) {
    Thread thread = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          synchronized (accepted) {
            accepted.add(socket);
          }
          if (reply != null) {
            OutputStream out = socket.getOutputStream();
            out.write(reply.getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        } catch (IOException closed) {
          return; // the test closed the server socket: done
        }
      }
    }, "acceptor-" + server.getLocalPort());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
