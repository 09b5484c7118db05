package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, item 8: a client stopped by a signal (Ctrl+C, SIGTERM) still prints its summary. */
@Timeout(120)
class ClientSignalsIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  @Test
  void aProducerStoppedBySignalPrintsWhatItSentAndWhatItDidNot() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "data_dir=" + dataDir)) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "--count", "100000",
          "--rate", "50")) {
        producer.awaitLine(Pattern.compile("producer: sent \\d+ of 100000"), START);
        producer.terminate();
        assertEquals(1, producer.awaitExit(START), producer.output());
        // A publish may be on its way when the signal comes: it is counted as unanswered, not lost track of.
        assertTrue(Pattern.compile("producer: sent \\d+, confirmed \\d+, errors 0 in [0-9.]+ s \\(\\d+ msg/s\\);"
            + " interrupted with \\d+ not sent and \\d+ unanswered").matcher(producer.output()).find(), producer.output());
      }
      // The consumer's normal end: run until Ctrl+C, then the summary, exit 0.
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", port)) {
        consumer.awaitLine(Pattern.compile("message id=1: msg-0-"), START);
        consumer.terminate();
        assertEquals(0, consumer.awaitExit(START), consumer.output());
        assertTrue(consumer.output().contains("consumer: received "), consumer.output());
      }
    }
  }

  @Test
  void aClientStoppedWhileItConnectsSaysSoInsteadOfAnInternalError() throws Exception {
    // A listener that accepts and never answers: the client is still in its handshake.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(silent.getLocalPort());
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", port);
          Socket accepted = silent.accept()) {
        consumer.terminate();
        assertEquals(0, consumer.awaitExit(START), consumer.output());
        assertEquals("consumer: stopped before it connected; received 0", consumer.output().strip());
      }
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "one");
          Socket accepted = silent.accept()) {
        producer.terminate();
        assertEquals(1, producer.awaitExit(START), producer.output());
        assertEquals("courier producer: stopped before it connected; nothing sent", producer.output().strip());
      }
    }
  }
}
