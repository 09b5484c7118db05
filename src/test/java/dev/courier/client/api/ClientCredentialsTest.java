package dev.courier.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.CourierClient;
import dev.courier.client.CourierException;
import dev.courier.client.PullConsumer;
import dev.courier.client.SubscribeOptions;
import dev.courier.embedded.CourierBroker;
import dev.courier.protocol.ErrorCode;
import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Credentials through the client API, against a broker with a users file. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCredentialsTest {
  /** The cheapest hash cost: these tests check who gets in, not how slowly. */
  private static final int TEST_COST = 4;

  @Test
  void aUserPublishesAndConsumesWhereAllowedAndAWrongPasswordCannotConnect(@TempDir Path dir) throws Exception {
    Path usersFile = dir.resolve("users.json");
    new Users(List.of(new User("alice", PasswordHash.hash("alice-pw", TEST_COST), new Permissions(
        new TopicPatterns(List.of("orders.*")), new TopicPatterns(List.of("orders.*")), new TopicPatterns(List.of())))))
        .write(usersFile);
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig()
        .with(Map.of("users_file", usersFile.toString())))) {
      CourierException refused = assertThrows(CourierException.class, () -> CourierClient.connectAndWait(
          ApiBroker.options(broker).credentials("alice", "wrong").build()));
      assertEquals(CourierException.Reason.CONNECT_FAILED, refused.reason());
      try (CourierClient client = CourierClient.connectAndWait(
          ApiBroker.options(broker).credentials("alice", "alice-pw").build())) {
        client.producer().publishAndWait("orders.eu", "allowed");
        CourierException forbidden = assertThrows(CourierException.class,
            () -> client.producer().publishAndWait("payroll", "not allowed"));
        assertEquals(ErrorCode.FORBIDDEN, forbidden.code());
        PullConsumer pull = client.pull("orders.eu", "g", SubscribeOptions.defaults()).await();
        assertNotNull(pull.receive(Duration.ofSeconds(10)));
        CourierException notYours = assertThrows(CourierException.class,
            () -> client.subscribe("payroll", "g", d -> { }).await());
        assertEquals(CourierException.Reason.CONNECT_FAILED, notYours.reason());
      }
    }
  }
}
