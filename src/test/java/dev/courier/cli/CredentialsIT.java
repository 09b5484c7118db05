package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client roles against a broker with a users file: --user with --password-file. */
@Timeout(120)
class CredentialsIT {
  private static final Duration START = Duration.ofSeconds(30);
  /** The lowest bcrypt cost: these tests check who gets in, not hashing time. */
  private static final int TEST_COST = 4;

  @TempDir
  Path dir;

  @Test
  void producerConsumerAndStatsRegisterAsTheirUserAndAWrongPasswordIsUnauthorized() throws Exception {
    Path users = dir.resolve("users.json");
    new Users(List.of(
        new User("ops", PasswordHash.hash("ops-secret", TEST_COST), new Permissions(new TopicPatterns(List.of("*")),
            new TopicPatterns(List.of("*")), new TopicPatterns(List.of("*")))),
        new User("writer", PasswordHash.hash("writer-secret", TEST_COST), new Permissions(
            new TopicPatterns(List.of("orders.*")), new TopicPatterns(List.of()), new TopicPatterns(List.of())))))
        .write(users);
    Path opsPassword = Files.writeString(dir.resolve("ops.pw"), "ops-secret\n");
    Path writerPassword = Files.writeString(dir.resolve("writer.pw"), "writer-secret\n");
    Path wrongPassword = Files.writeString(dir.resolve("wrong.pw"), "guess\n");
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "data_dir=" + dir.resolve("data"),
        "--set", "users_file=" + users)) {
      String port = String.valueOf(broker.awaitListeningPort(START));
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "--topic", "orders.eu",
          "--user", "writer", "--password-file", writerPassword.toString(), "o-1", "o-2")) {
        assertEquals(0, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("sent 2, confirmed 2, errors 0"), producer.output());
      }
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", port, "--topic", "orders.eu",
          "--count", "2", "--user", "ops", "--password-file", opsPassword.toString())) {
        assertEquals(0, consumer.awaitExit(START), consumer.output());
        assertTrue(consumer.output().contains("received 2 (0 redelivered), acked 2"), consumer.output());
      }
      try (CourierProcess stats = CourierProcess.role("stats", "--port", port, "--user", "ops",
          "--password-file", opsPassword.toString())) {
        assertEquals(0, stats.awaitExit(START), stats.output());
        assertTrue(stats.output().contains("orders.eu"), stats.output());
      }
      // The bench's clients register as the user too; exit 0 means nothing was lost or duplicated.
      try (CourierProcess bench = CourierProcess.role("bench", "--host", "127.0.0.1", "--port", port,
          "--producers", "1", "--consumers", "1", "--size", "100", "--count", "200", "--window", "50",
          "--user", "ops", "--password-file", opsPassword.toString())) {
        assertEquals(0, bench.awaitExit(START), bench.output());
      }
      // The writer may publish to orders.* only: another topic is forbidden, and said so.
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "--topic", "payroll",
          "--user", "writer", "--password-file", writerPassword.toString(), "p-1")) {
        assertEquals(1, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("forbidden"), producer.output());
      }
      try (CourierProcess producer = CourierProcess.role("producer", "--port", port, "--topic", "orders.eu",
          "--user", "writer", "--password-file", wrongPassword.toString(), "o-3")) {
        assertEquals(1, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("unauthorized"), producer.output());
      }
    }
  }

  @Test
  void aUserWithoutAPasswordOrAPasswordWithoutAUserIsAUsageError() throws Exception {
    try (CourierProcess producer = CourierProcess.role("producer", "--user", "writer")) {
      assertEquals(2, producer.awaitExit(START), producer.output());
      assertTrue(producer.output().contains("--user writer needs a password: --password-file FILE or the environment"
          + " variable COURIER_PASSWORD"), producer.output());
    }
    try (CourierProcess consumer = CourierProcess.role("consumer", "--password-file", "pw.txt")) {
      assertEquals(2, consumer.awaitExit(START), consumer.output());
      assertTrue(consumer.output().contains("--password-file needs --user"), consumer.output());
    }
  }
}
