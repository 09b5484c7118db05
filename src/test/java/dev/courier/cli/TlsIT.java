package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.server.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar's roles over TLS: a broker given a certificate, and clients given --tls --ca-file. */
@Timeout(120)
class TlsIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void producerConsumerAndStatsWithTlsAndCaFileWorkAgainstATlsBroker() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "it");
    TestCertificates.Pem server = ca.server("courier-broker");
    String caFile = ca.caFile().toString();
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "data_dir=" + dir.resolve("data"),
        "--set", "tls_cert_file=" + server.cert(), "--set", "tls_key_file=" + server.key())) {
      String port = String.valueOf(broker.awaitListeningPort(START));

      // Without --tls the producer's frames are never read: its handshake fails at once, saying
      // that the port may speak TLS, and the broker lives on.
      try (CourierProcess plain = CourierProcess.role("producer", "--port", port, "plain")) {
        assertNotEquals(0, plain.awaitExit(START), plain.output());
        assertTrue(plain.output().contains("it closed the connection without answering; check --host and --port,"
            + " and --tls if the broker's port speaks TLS"), plain.output());
      }
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "--tls", "--ca-file", caFile)) {
        assertEquals(0, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("sent 5, confirmed 5, errors 0"), producer.output());
      }
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", port, "--tls", "--ca-file", caFile,
          "--count", "5")) {
        assertEquals(0, consumer.awaitExit(START), consumer.output());
        assertTrue(consumer.output().contains("message id=1: task-0"), consumer.output());
        assertTrue(consumer.output().contains("received 5 (0 redelivered), acked 5"), consumer.output());
      }
      try (CourierProcess stats = CourierProcess.role("stats", "--port", port, "--tls", "--ca-file", caFile)) {
        assertEquals(0, stats.awaitExit(START), stats.output());
        assertTrue(stats.output().contains("published 5, delivered 5, acked 5"), stats.output());
      }
    }
  }

  @Test
  void withClientCertificatesRequiredTheProducerPresentsOneAndStatsWithoutOneIsToldWhy() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "it");
    TestCertificates.Pem server = ca.server("courier-broker");
    TestCertificates.Pem alice = ca.client("alice");
    String caFile = ca.caFile().toString();
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "data_dir=" + dir.resolve("data"),
        "--set", "tls_cert_file=" + server.cert(), "--set", "tls_key_file=" + server.key(),
        "--set", "tls_client_ca_file=" + caFile)) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "--tls", "--ca-file", caFile,
          "--cert-file", alice.cert().toString(), "--key-file", alice.key().toString(), "signed")) {
        assertEquals(0, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("sent 1, confirmed 1, errors 0"), producer.output());
      }
      try (CourierProcess stats = CourierProcess.role("stats", "--port", port, "--tls", "--ca-file", caFile)) {
        assertEquals(1, stats.awaitExit(START), stats.output());
        assertTrue(stats.output().contains("courier stats: the broker closed the connection: TLS: "), stats.output());
      }
    }
  }

  @Test
  void aBrokerWhoseKeyFileIsMissingExitsNamingTheFile() throws Exception {
    TestCertificates.Pem server = TestCertificates.authority(dir, "it").server("courier-broker");
    Path missing = dir.resolve("missing-key.pem");
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "data_dir=" + dir.resolve("data"),
        "--set", "tls_cert_file=" + server.cert(), "--set", "tls_key_file=" + missing)) {
      assertEquals(1, broker.awaitExit(START), broker.output());
      assertTrue(broker.output().contains("tls_key_file " + missing + " is not a readable file"), broker.output());
    }
  }

  @Test
  void aCaFileWithoutTlsIsAUsageError() throws Exception {
    try (CourierProcess producer = CourierProcess.role("producer", "--ca-file", "ca.pem")) {
      assertEquals(2, producer.awaitExit(START), producer.output());
      assertTrue(producer.output().contains("need --tls"), producer.output());
    }
  }
}
