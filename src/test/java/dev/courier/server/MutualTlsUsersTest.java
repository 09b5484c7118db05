package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.publishTo;

import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
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
 * Mutual TLS with a users file: the certificate's CN names the user, who registers without a
 * password and gets that user's permissions; a CN that names no user is unauthorized.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class MutualTlsUsersTest {
  /** The lowest bcrypt cost: the tests check decisions, not hashing time. */
  private static final int TEST_COST = 4;

  @TempDir
  Path dir;

  private TestCertificates ca;
  private TestCertificates.Pem serverPem;
  private Path usersFile;
  private NetClient aliceClient;
  private NetClient carolClient;

  @BeforeEach
  void setUp(Vertx vertx) throws IOException {
    ca = TestCertificates.authority(dir, "clients");
    serverPem = ca.server("courier-broker");
    aliceClient = vertx.createNetClient(TlsPeers.presenting(ca.caFile(), ca.client("alice")));
    carolClient = vertx.createNetClient(TlsPeers.presenting(ca.caFile(), ca.client("carol")));
    usersFile = dir.resolve("users.json");
    new Users(List.of(new User("alice", PasswordHash.hash("unused-with-a-certificate", TEST_COST),
        new Permissions(new TopicPatterns(List.of("orders.*")), new TopicPatterns(List.of()),
            new TopicPatterns(List.of())))))
        .write(usersFile);
  }

  private Future<TestBroker> deploy(Vertx vertx) {
    return TestBroker.deploy(vertx, Map.of("tls_cert_file", serverPem.cert().toString(),
        "tls_key_file", serverPem.key().toString(), "tls_client_ca_file", ca.caFile().toString(),
        "users_file", usersFile.toString()));
  }

  @Test
  void theCertificatesUserRegistersWithoutAPasswordAndHasThatUsersPermissions(Vertx vertx,
      VertxTestContext testContext) {
    deploy(vertx).compose(broker -> broker.producer(aliceClient, "alice")
        .compose(alice -> alice.send(publishTo("orders.eu", "allowed"))
            .compose(v -> alice.expect(OK))
            .compose(v -> alice.send(publishTo("payroll", "not alice's")))
            .compose(v -> alice.expectError("forbidden"))
            // Forbidden keeps the connection: the next allowed publish still works.
            .compose(v -> alice.send(publishTo("orders.us", "allowed too")))
            .compose(v -> alice.expect(OK))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aCertificateWhoseCnNamesNoUserIsUnauthorizedAndClosed(Vertx vertx, VertxTestContext testContext) {
    deploy(vertx).compose(broker -> broker.producer(carolClient, "carol")
        .compose(carol -> carol.expectError("unauthorized").compose(v -> carol.expectClose())))
        .onComplete(testContext.succeedingThenComplete());
  }
}
