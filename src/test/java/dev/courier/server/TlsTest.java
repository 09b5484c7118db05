package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.REGISTER_PRODUCER;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.frame;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker port with {@code tls_cert_file} and {@code tls_key_file}: seed frames travel
 * unchanged inside TLS, and a peer that does not speak TLS 1.2 or later is turned away while the
 * broker serves everyone else.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TlsTest {
  /** TLS alert record (RFC 5246 6.2.1, 7.2): content type 21, level fatal (2), protocol_version (70). */
  private static final int ALERT = 21;
  private static final int FATAL = 2;
  private static final int PROTOCOL_VERSION = 70;

  @TempDir
  Path dir;

  private TestCertificates ca;
  private TestCertificates.Pem serverPem;
  private NetClient tlsClient;
  private NetClient plainClient;

  @BeforeEach
  void makeCertificatesAndClients(Vertx vertx) {
    ca = TestCertificates.authority(dir, "test");
    serverPem = ca.server("courier-broker");
    tlsClient = vertx.createNetClient(TlsPeers.trusting(ca.caFile()));
    plainClient = vertx.createNetClient();
  }

  private Future<TestBroker> deployWithTls(Vertx vertx) {
    return TestBroker.deploy(vertx, Map.of("tls_cert_file", serverPem.cert().toString(),
        "tls_key_file", serverPem.key().toString()));
  }

  /** The seed's transcript, over TLS: register, publish, ok; register, message, ack. */
  private static Future<Void> publishAndConsume(TestBroker broker, NetClient client, String payload, long id) {
    return broker.producer(client, "tls producer")
        .compose(producer -> producer.send(publish(payload)).compose(v -> producer.expect(OK)))
        .compose(v -> broker.consumer(client, "tls consumer"))
        .compose(consumer -> consumer.expectMessage(id, payload).compose(v -> consumer.send(ack(id))))
        .compose(v -> broker.awaitStats("the message acked", s -> s.acked() == id && s.inFlight() == 0))
        .mapEmpty();
  }

  @Test
  void seedShapedClientPublishesAndConsumesOverTls(Vertx vertx, VertxTestContext testContext) {
    deployWithTls(vertx).compose(broker -> publishAndConsume(broker, tlsClient, "over-tls", 1)
        // Without tls_client_ca_file no certificate is asked for, so no connection has a TLS user.
        .compose(v -> broker.connect(tlsClient, "idle"))
        .compose(idle -> broker.verticle.tlsUsers()))
        .onComplete(testContext.succeeding(users -> testContext.verify(() -> {
          assertFalse(users.isEmpty());
          assertTrue(users.values().stream().allMatch(u -> u == null), users.toString());
          testContext.completeNow();
        })));
  }

  @Test
  void plainTextClientIsClosedUnservedAndTheBrokerServesTlsClientsAfterwards(Vertx vertx,
      VertxTestContext testContext) {
    Buffer seedFrames = frame(REGISTER_PRODUCER).appendBuffer(frame(publish("in-the-clear")));
    deployWithTls(vertx).compose(broker -> TlsPeers.receivedUntilClosed(vertx, plainClient, broker.port, seedFrames)
        .compose(received -> {
          testContext.verify(() -> assertFalse(received.toString(StandardCharsets.ISO_8859_1).contains("\"type\""),
              "a plain-text client got a Courier frame: " + received));
          return publishAndConsume(broker, tlsClient, "after-plain", 1);
        })
        // The plain client's publish was never read: the TLS one is the only message.
        .compose(v -> broker.stats()))
        .onComplete(testContext.succeeding(stats -> testContext.verify(() -> {
          assertEquals(1, stats.published());
          testContext.completeNow();
        })));
  }

  @Test
  void tls11HelloIsRefusedWithAProtocolVersionAlert(Vertx vertx, VertxTestContext testContext) {
    deployWithTls(vertx).compose(broker -> TlsPeers.receivedUntilClosed(vertx, plainClient, broker.port, tls11Hello())
        .compose(received -> {
          testContext.verify(() -> {
            assertTrue(received.length() >= 7, "expected an alert record, got " + received.length() + " bytes");
            assertEquals(ALERT, received.getUnsignedByte(0), "content type");
            assertEquals(FATAL, received.getUnsignedByte(5), "alert level");
            assertEquals(PROTOCOL_VERSION, received.getUnsignedByte(6), "alert description");
          });
          return publishAndConsume(broker, tlsClient, "after-tls11", 1);
        }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void brokerWithAMissingKeyFileRefusesToStartAndNamesTheFile(Vertx vertx, VertxTestContext testContext) {
    Path missing = dir.resolve("no-such-key.pem");
    TestBroker.deploy(vertx, Map.of("tls_cert_file", serverPem.cert().toString(), "tls_key_file", missing.toString()))
        .onComplete(testContext.failing(e -> testContext.verify(() -> {
          assertTrue(e.getMessage().contains("tls_key_file " + missing), e.getMessage());
          testContext.completeNow();
        })));
  }

  @Test
  void brokerWithAKeyFileThatIsNotAKeyRefusesToStartAndNamesTheFile(Vertx vertx, VertxTestContext testContext)
      throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage-key.pem"), "not a key\n");
    TestBroker.deploy(vertx, Map.of("tls_cert_file", serverPem.cert().toString(), "tls_key_file", garbage.toString()))
        .onComplete(testContext.failing(e -> testContext.verify(() -> {
          assertTrue(e.getMessage().contains("tls_key_file " + garbage), e.getMessage());
          testContext.completeNow();
        })));
  }

  @Test
  void onlyTls12AndTls13AreEnabled() {
    assertEquals(java.util.Set.of("TLSv1.2", "TLSv1.3"), ServerTls.PROTOCOLS);
  }

  /**
   * A TLS 1.1 ClientHello (RFC 4346 7.4.1.2), as an old client sends it: version 3.2, no
   * supported_versions extension, two TLS 1.1 cipher suites, no compression.
   */
  private static Buffer tls11Hello() {
    Buffer body = Buffer.buffer()
        .appendByte((byte) 3).appendByte((byte) 2) // client_version TLS 1.1
        .appendBytes(new byte[32]) // random
        .appendByte((byte) 0) // no session id
        .appendShort((short) 4).appendShort((short) 0x002f).appendShort((short) 0xc013) // cipher suites
        .appendByte((byte) 1).appendByte((byte) 0); // compression: null only
    Buffer handshake = Buffer.buffer().appendByte((byte) 1) // client_hello
        .appendMedium(body.length()).appendBuffer(body);
    return Buffer.buffer().appendByte((byte) 22) // handshake record
        .appendByte((byte) 3).appendByte((byte) 1).appendShort((short) handshake.length()).appendBuffer(handshake);
  }
}
