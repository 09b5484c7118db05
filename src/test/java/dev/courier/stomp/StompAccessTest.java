package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CONNECT through the users file, permissions on SEND and SUBSCRIBE, and a full topic that rejects. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompAccessTest {
  /** bcrypt's lowest cost: these tests check who gets in, not how slow guessing is. */
  private static final int TEST_COST = 4;

  @TempDir
  Path dir;
  private Vertx vertx;
  private StompBroker broker;

  @BeforeEach
  void start() throws Exception {
    Path usersFile = dir.resolve("users.json");
    new Users(List.of(new User("alice", PasswordHash.hash("alice-pw", TEST_COST), new Permissions(
        new TopicPatterns(List.of("orders")), new TopicPatterns(List.of("orders")), new TopicPatterns(List.of())))))
        .write(usersFile);
    vertx = Vertx.vertx();
    broker = StompBroker.start(vertx, Map.of("users_file", usersFile.toString(), "max_topic_messages", 2,
        "overflow", "reject"));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aUserConnectsWithLoginAndPasscodeAndAWrongPasscodeIsAnError() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "", "accept-version:1.2", "host:h", "login:alice", "passcode:alice-pw");
      assertEquals("CONNECTED", client.receive().command());
    }
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "", "accept-version:1.2", "host:h", "login:alice", "passcode:guess", "receipt:c");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("unknown user or wrong password"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void withAUsersFileAClientWithoutCredentialsIsRefused() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "", "accept-version:1.2", "host:h");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("anonymous"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aSendOrSubscribeOutsideTheUsersPermissionsIsAnError() throws Exception {
    for (String[] frame : new String[][] {{"SEND", "destination:/queue/payroll"},
        {"SUBSCRIBE", "destination:/queue/payroll"}}) {
      try (RawStomp client = new RawStomp(broker.stompPort)) {
        client.send("CONNECT", "", "accept-version:1.2", "host:h", "login:alice", "passcode:alice-pw");
        client.receive();
        client.send(frame[0], "", frame[1], "id:s", "receipt:r");
        RawStomp.Received error = client.receive();
        assertEquals("ERROR", error.command());
        assertEquals("r", error.header("receipt-id"));
        assertTrue(error.header("message").contains("may not"), error.header("message"));
        assertTrue(client.isClosedByPeer());
      }
    }
  }

  @Test
  void aSendToAFullTopicIsAnErrorAfterTheReceiptsOfTheSendsBeforeIt() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "", "accept-version:1.2", "host:h", "login:alice", "passcode:alice-pw");
      client.receive();
      client.send("SEND", "1", "destination:/queue/orders", "receipt:r1");
      client.send("SEND", "2", "destination:/queue/orders", "receipt:r2");
      client.send("SEND", "3", "destination:/queue/orders", "receipt:r3");
      assertEquals("r1", client.receive().header("receipt-id"));
      assertEquals("r2", client.receive().header("receipt-id"));
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertEquals("r3", error.header("receipt-id"));
      assertTrue(error.header("message").contains("is full"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }
}
