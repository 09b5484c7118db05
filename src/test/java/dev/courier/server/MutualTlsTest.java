package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.REGISTER_PRODUCER;
import static dev.courier.server.WireClient.frame;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls_client_ca_file}: every client must present a certificate from that CA, and the
 * subject CN of the one it presented is the connection's {@link Connection#tlsUser()}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class MutualTlsTest {
  @TempDir
  Path dir;

  private TestCertificates ca;
  private TestCertificates.Pem serverPem;
  private NetClient aliceClient;
  private NetClient anonymousClient;
  private NetClient strangerClient;

  @BeforeEach
  void makeCertificatesAndClients(Vertx vertx) {
    ca = TestCertificates.authority(dir, "clients");
    serverPem = ca.server("courier-broker");
    aliceClient = vertx.createNetClient(TlsPeers.presenting(ca.caFile(), ca.client("alice")));
    anonymousClient = vertx.createNetClient(TlsPeers.trusting(ca.caFile()));
    // Trusts the broker, but its certificate comes from a CA the broker was not told about.
    TestCertificates other = TestCertificates.authority(dir, "other");
    strangerClient = vertx.createNetClient(TlsPeers.insisting(ca.caFile(), other.client("mallory")));
  }

  private Future<TestBroker> deployWithClientCa(Vertx vertx) {
    return TestBroker.deploy(vertx, Map.of("tls_cert_file", serverPem.cert().toString(),
        "tls_key_file", serverPem.key().toString(), "tls_client_ca_file", ca.caFile().toString()));
  }

  @Test
  void clientWithAGoodCertificatePublishesAndItsCnIsTheConnectionsTlsUser(Vertx vertx, VertxTestContext testContext) {
    deployWithClientCa(vertx).compose(broker -> broker.producer(aliceClient, "alice")
        .compose(producer -> producer.send(publish("signed")).compose(v -> producer.expect(OK)))
        .compose(v -> broker.verticle.tlsUsers()))
        .onComplete(testContext.succeeding(users -> testContext.verify(() -> {
          assertEquals(List.of("alice"), List.copyOf(users.values()));
          testContext.completeNow();
        })));
  }

  @Test
  void clientWithoutACertificateIsRefusedAndTheBrokerServesOthers(Vertx vertx, VertxTestContext testContext) {
    expectRefusedThenServeAlice(vertx, testContext, anonymousClient);
  }

  @Test
  void clientWithACertificateFromAnotherCaIsRefusedAndTheBrokerServesOthers(Vertx vertx,
      VertxTestContext testContext) {
    expectRefusedThenServeAlice(vertx, testContext, strangerClient);
  }

  /**
   * The refused client gets no Courier frame and its publish is never read; then alice publishes,
   * and hers is the only message and the only connection.
   */
  private void expectRefusedThenServeAlice(Vertx vertx, VertxTestContext testContext, NetClient refused) {
    Buffer seedFrames = frame(REGISTER_PRODUCER).appendBuffer(frame(publish("unsigned")));
    deployWithClientCa(vertx).compose(broker -> TlsPeers.receivedUntilClosed(vertx, refused, broker.port, seedFrames)
        .compose(received -> {
          testContext.verify(() -> assertEquals(0, received.length(), "the refused client received " + received));
          return broker.producer(aliceClient, "alice");
        })
        .compose(alice -> alice.send(publish("signed")).compose(v -> alice.expect(OK)))
        .compose(v -> broker.stats().compose(stats -> broker.verticle.tlsUsers().map(users -> {
          testContext.verify(() -> {
            assertEquals(1, stats.published());
            assertEquals(List.of("alice"), List.copyOf(users.values()));
          });
          return users;
        }))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void theTlsUserIsTheMostSpecificCnOfTheSubject() {
    assertEquals("alice", ServerTls.commonName("CN=alice,OU=team,O=Acme,C=DE"));
    assertEquals("alice", ServerTls.commonName("CN=alice,CN=courier-users,O=Acme"));
    assertEquals("a,b", ServerTls.commonName("CN=a\\,b,O=Acme"));
    assertNull(ServerTls.commonName("O=Acme,C=DE"));
  }
}
