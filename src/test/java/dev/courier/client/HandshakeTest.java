package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.config.BrokerConfig;
import dev.courier.protocol.Frame;
import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import dev.courier.server.BrokerVerticle;
import dev.courier.server.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake's {@code stats} barrier with a user who may not read the broker-wide stats: with
 * mutual TLS the certificate's CN is a user of the users file, who needs no password.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HandshakeTest {
  /** The lowest bcrypt cost: nobody logs in with the password here. */
  private static final int TEST_COST = 4;

  @TempDir
  Path dir;

  private ClientTls alice;
  private int port;

  @BeforeEach
  void deployBrokerWithUsers(Vertx vertx, VertxTestContext testContext) throws IOException {
    TestCertificates ca = TestCertificates.authority(dir, "handshake");
    TestCertificates.Pem server = ca.server("courier-broker");
    TestCertificates.Pem aliceCert = ca.client("alice");
    alice = new ClientTls(true, ca.caFile().toString(), aliceCert.cert().toString(), aliceCert.key().toString());
    Path usersFile = dir.resolve("users.json");
    // Publish and consume on orders.* only, and no admin: stats is forbidden to alice.
    new Users(List.of(new User("alice", PasswordHash.hash("alice-pw", TEST_COST), new Permissions(
        new TopicPatterns(List.of("orders.*")), new TopicPatterns(List.of("orders.*")), new TopicPatterns(List.of())))))
        .write(usersFile);
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("port", 0, "storage", "memory",
        "drain_timeout_ms", 0, "stomp_port", -1, "http_port", -1, "users_file", usersFile.toString(), "tls_cert_file", server.cert().toString(),
        "tls_key_file", server.key().toString(), "tls_client_ca_file", ca.caFile().toString())));
    vertx.deployVerticle(broker).onComplete(testContext.succeeding(id -> {
      port = broker.actualPort();
      testContext.completeNow();
    }));
  }

  @Test
  void anAcceptedRegisterOfAUserWithoutAdminIsAcceptedThoughItsStatsAreForbidden(Vertx vertx,
      VertxTestContext testContext) {
    Frame.Register register = new Frame.Register(Frame.Role.CONSUMER, "orders.eu", "billing", 1, null, null, true);
    Handshake.open(vertx, "127.0.0.1", port, alice, register, Handshake.DEFAULT_DEADLINE_MS, frame -> { })
        .compose(FrameConnection::close)
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aForbiddenRegisterIsReportedAsTheRegistersRefusal(Vertx vertx, VertxTestContext testContext) {
    Frame.Register register = new Frame.Register(Frame.Role.CONSUMER, "payroll", "billing", 1, null, null, true);
    Handshake.open(vertx, "127.0.0.1", port, alice, register, Handshake.DEFAULT_DEADLINE_MS, frame -> { })
        .onComplete(testContext.failing(e -> testContext.verify(() -> {
          assertTrue(e.getMessage().startsWith("the broker at 127.0.0.1:" + port + " refused to register: forbidden: "),
              e.getMessage());
          assertTrue(e.getMessage().contains("consume topic \"payroll\""), e.getMessage());
          testContext.completeNow();
        })));
  }

  @Test
  void withoutARegisterTheStatsBarriersRefusalIsReportedAsIs(Vertx vertx, VertxTestContext testContext) {
    // Before a register the connection acts as the anonymous client, which this broker does not serve.
    Handshake.open(vertx, "127.0.0.1", port, alice, null, Handshake.DEFAULT_DEADLINE_MS, frame -> { })
        .onComplete(testContext.failing(e -> testContext.verify(() -> {
          assertTrue(e.getMessage().startsWith("the broker at 127.0.0.1:" + port + " refused: unauthorized: "),
              e.getMessage());
          testContext.completeNow();
        })));
  }
}
