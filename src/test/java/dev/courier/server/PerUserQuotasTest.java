package dev.courier.server;

import static dev.courier.server.AuthTest.register;
import static dev.courier.server.WireClient.publishTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.User;
import dev.courier.security.Users;
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

/** max_connections_per_user, max_connections_per_address and max_topics_per_user over real sockets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PerUserQuotasTest {
  @TempDir
  Path dir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;
  private String usersFile;

  @BeforeEach
  void setUp(Vertx vertx) throws IOException {
    netClient = vertx.createNetClient();
    Path file = dir.resolve("users.json");
    new Users(List.of(new User("alice", PasswordHash.hash("pw", 4), Permissions.ALL),
        new User("bob", PasswordHash.hash("pw", 4), Permissions.ALL))).write(file);
    usersFile = file.toString();
  }

  @Test
  void aRegisterPastMaxConnectionsPerUserIsLimitReachedAndMayBeRetried(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("users_file", usersFile, "max_connections_per_user", 1)).compose(broker ->
        broker.registeredProducer(netClient, "alice 1", register("producer", null, "alice", "pw")).compose(first ->
            broker.connect(netClient, "alice 2").compose(second -> second.send(register("producer", null, "alice", "pw"))
                .compose(v -> second.expectError("limit_reached"))
                .compose(frame -> {
                  assertTrue(frame.getString("message").contains("max_connections_per_user=1"), frame.encode());
                  // Other users are not affected; the refused connection stays and may register as one.
                  return second.send(register("producer", null, "bob", "pw"), WireClient.ack(0));
                })
                .compose(v -> second.expectError("wrong_role"))
                .compose(v -> first.close())
                .compose(v -> broker.awaitSnapshot("alice's first connection gone", s -> s.connections() == 1))
                .compose(v -> broker.registeredProducer(netClient, "alice 3", register("producer", null, "alice", "pw"))))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aConnectionPastMaxConnectionsPerAddressIsRefusedAndClosed(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("max_connections_per_address", 2)).compose(broker ->
        broker.registeredProducer(netClient, "one").compose(one ->
            broker.registeredProducer(netClient, "two").compose(two ->
                broker.connect(netClient, "three").compose(three -> three.expectError("too_many_connections")
                    .compose(frame -> {
                      assertTrue(frame.getString("message").contains("max_connections_per_address"), frame.encode());
                      return three.expectClose();
                    }))
                    .compose(v -> two.close())
                    .compose(v -> broker.awaitSnapshot("two gone", s -> s.connections() == 1))
                    .compose(v -> broker.registeredProducer(netClient, "four")))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void topicsPastMaxTopicsPerUserAreLimitReachedWhileExistingOnesKeepWorking(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("users_file", usersFile, "max_topics_per_user", 1)).compose(broker ->
        broker.registeredProducer(netClient, "alice", register("producer", null, "alice", "pw")).compose(alice ->
            alice.send(publishTo("a1", "m"), publishTo("a2", "m"), publishTo("a1", "m"))
                .compose(v -> alice.expectOk())
                .compose(v -> alice.expectError("limit_reached"))
                .compose(frame -> {
                  assertTrue(frame.getString("message").contains("max_topics_per_user=1"), frame.encode());
                  return alice.expectOk();
                }))
            .compose(v -> broker.connect(netClient, "alice consumer"))
            .compose(c -> c.send(register("consumer", "a3", "alice", "pw")).compose(v -> c.expectError("limit_reached"))
                .compose(v -> c.send(register("consumer", "a1", "alice", "pw"), WireClient.ack(0)))
                .compose(v -> c.expectExtendedMessage(1, "m", "a1", 1)))
            // Another user has a quota of their own.
            .compose(v -> broker.registeredProducer(netClient, "bob", register("producer", "b1", "bob", "pw")))
            .compose(bob -> bob.send(publishTo("b1", "m")).compose(v -> bob.expectOk())))
        .onComplete(testContext.succeedingThenComplete());
  }
}
