package dev.courier.server;

import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.publish;
import static dev.courier.server.WireClient.publishTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Users, passwords and permissions over real sockets: unauthorized closes, forbidden keeps the connection. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class AuthTest {
  /** The lowest bcrypt cost: these tests check the rules, not the hash's strength. */
  private static final int TEST_COST = 4;

  @TempDir
  Path dir;

  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;
  private Path usersFile;
  private final ListAppender<ILoggingEvent> brokerLog = new ListAppender<>();

  @BeforeEach
  void setUp(Vertx vertx) throws IOException {
    netClient = vertx.createNetClient();
    usersFile = dir.resolve("users.json");
    new Users(List.of(
        user("alice", "alice-pw", List.of("orders.*"), List.of("orders.*", "!orders.secret"), List.of()),
        user("root", "root-pw", List.of("*"), List.of("*"), List.of("*"))))
        .write(usersFile);
    brokerLog.start();
    ((Logger) LoggerFactory.getLogger(BrokerVerticle.class)).addAppender(brokerLog);
  }

  @AfterEach
  void detachLog() {
    ((Logger) LoggerFactory.getLogger(BrokerVerticle.class)).detachAppender(brokerLog);
  }

  private static User user(String name, String password, List<String> publish, List<String> consume, List<String> admin) {
    return new User(name, PasswordHash.hash(password, TEST_COST), new Permissions(new TopicPatterns(publish),
        new TopicPatterns(consume), new TopicPatterns(admin)));
  }

  private Map<String, Object> settings(Object... keyValues) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("users_file", usersFile.toString());
    settings.put("ack_timeout_ms", 60_000);
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put((String) keyValues[i], keyValues[i + 1]);
    }
    return settings;
  }

  static String register(String role, String topic, String user, String password) {
    return "{\"type\":\"register\",\"role\":\"" + role + "\"" + (topic == null ? "" : ",\"topic\":\"" + topic + "\"")
        + ",\"user\":\"" + user + "\",\"password\":\"" + password + "\"}";
  }

  private static String history(String topic) {
    return "{\"type\":\"history\",\"topic\":\"" + topic + "\"}";
  }

  @Test
  void aWrongPasswordIsUnauthorizedAndClosesTheConnection(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> broker.connect(netClient, "guesser")
        .compose(c -> c.send(register("producer", null, "alice", "wrong"), publish("never read"))
            .compose(v -> c.expectError("unauthorized"))
            .compose(v -> c.expectClose())))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void anUnknownUserIsUnauthorizedLikeAWrongPassword(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> broker.connect(netClient, "stranger")
        .compose(c -> c.send(register("consumer", null, "mallory", "alice-pw"))
            .compose(v -> c.expectError("unauthorized"))
            .compose(frame -> {
              assertEquals("unknown user or wrong password", frame.getString("message"));
              return c.expectClose();
            })))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void missingCredentialsAreUnauthorizedWhenAnonymousIsOff(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> broker.connect(netClient, "seed")
        .compose(c -> c.send(WireClient.REGISTER_CONSUMER).compose(v -> c.expectError("unauthorized"))
            .compose(v -> c.expectClose()))
        .compose(v -> broker.connect(netClient, "stats before register"))
        .compose(c -> c.send(WireClient.STATS).compose(v -> c.expectError("unauthorized"))
            .compose(v -> c.expectClose())))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void seedClientsKeepWorkingByteForByteWhenAnonymousIsAllowed(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings("allow_anonymous", true)).compose(broker ->
        broker.producer(netClient, "seed producer").compose(p -> p.send(publish("hello")).compose(v -> p.expectOk()))
            .compose(v -> broker.consumer(netClient, "seed consumer"))
            .compose(c -> c.expectMessage(1, "hello")))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aConsumerWithoutConsumeOnATopicIsForbiddenAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> broker.connect(netClient, "alice")
        .compose(c -> c.send(register("consumer", "payroll", "alice", "alice-pw"))
            .compose(v -> c.expectError("forbidden"))
            .compose(frame -> {
              assertTrue(frame.getString("message").contains("consume topic \"payroll\""), frame.encode());
              // Still open and still unregistered: a register it may make succeeds.
              return c.send(register("consumer", "orders.eu", "alice", "alice-pw"));
            })
            .compose(v -> broker.registeredProducer(netClient, "root", register("producer", "orders.eu", "root", "root-pw")))
            .compose(p -> p.send(publish("for alice")).compose(v -> p.expectOk()))
            .compose(v -> c.nextExtendedMessage(1, "for alice", "orders.eu", 1))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aDenyWinsOverAnAllowThatCoversTheSameTopic(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> broker.connect(netClient, "alice")
        .compose(c -> c.send(register("consumer", "orders.secret", "alice", "alice-pw"))
            .compose(v -> c.expectError("forbidden"))
            .compose(v -> c.send(register("producer", "orders.eu", "alice", "alice-pw"), history("orders.secret"),
                history("orders.eu")))
            .compose(v -> c.expectError("forbidden"))
            .compose(v -> c.next())
            .map(reply -> {
              assertEquals("history_reply", reply.getString("type"), reply.encode());
              return null;
            })))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void publishesBeyondPermissionsAreForbiddenInPublishOrder(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings("storage", "durable", "data_dir", dir.resolve("data").toString()))
        .compose(broker -> broker.registeredProducer(netClient, "alice", register("producer", null, "alice", "alice-pw"))
            .compose(p -> p.send(publishTo("orders.eu", "a"), publishTo("payroll", "b"), publish("to default"),
                    publishTo("orders.eu", "c"))
                .compose(v -> p.expectOk())
                .compose(v -> p.expectError("forbidden"))
                .compose(v -> p.expectError("forbidden"))
                .compose(v -> p.expectOk())))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aProducerRegisterNamingATopicBeyondPermissionsIsForbidden(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> broker.connect(netClient, "alice")
        .compose(c -> c.send(register("producer", "payroll", "alice", "alice-pw"))
            .compose(v -> c.expectError("forbidden"))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void historyAndStatsBeyondPermissionsAreForbiddenAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker ->
        broker.registeredProducer(netClient, "alice", register("producer", "orders.eu", "alice", "alice-pw"))
            .compose(p -> p.send(publish("m0"), history("payroll"), WireClient.STATS, history("orders.eu"))
                .compose(v -> p.expectOk())
                .compose(v -> p.expectError("forbidden"))
                .compose(v -> p.expectError("forbidden"))
                .compose(frame -> {
                  assertTrue(frame.getString("message").contains("stats"), frame.encode());
                  return p.next();
                })
                .map(reply -> {
                  assertEquals("history_reply", reply.getString("type"), reply.encode());
                  assertEquals(1, reply.getJsonArray("messages").size(), reply.encode());
                  return null;
                }))
            .compose(v -> broker.connect(netClient, "root"))
            .compose(c -> c.send(register("producer", null, "root", "root-pw"), WireClient.STATS)
                .compose(v -> c.expectStatsReply()))) // root has admin on every topic
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void failedLoginsAreLoggedWithTheAddressAndEachWaitsLonger(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> guess(broker, 1).compose(v -> guess(broker, 2))
            .compose(v -> guess(broker, 3)))
        .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
          Pattern line = Pattern.compile("login failed from 127\\.0\\.0\\.1 user=alice: .* \\((\\d) failures in a row "
              + "from this address; next reply in (\\d+) ms\\)");
          long previousDelay = 0;
          int seen = 0;
          for (ILoggingEvent event : List.copyOf(brokerLog.list)) {
            Matcher m = line.matcher(event.getFormattedMessage());
            if (m.find()) {
              seen++;
              assertEquals(seen, Integer.parseInt(m.group(1)), event.getFormattedMessage());
              long delay = Long.parseLong(m.group(2));
              assertTrue(delay > previousDelay, "delays grow: " + delay + " after " + previousDelay);
              previousDelay = delay;
            }
          }
          assertEquals(3, seen, "one WARN per failed login");
          testContext.completeNow();
        })));
  }

  private Future<Void> guess(TestBroker broker, int attempt) {
    return broker.connect(netClient, "guess " + attempt).compose(c -> c.send(register("consumer", null, "alice", "guess" + attempt))
        .compose(v -> c.expectError("unauthorized")).compose(v -> c.expectClose()));
  }

  @Test
  void aRightPasswordAfterFailuresStillGetsIn(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings()).compose(broker -> guess(broker, 1)
        .compose(v -> broker.registeredConsumer(netClient, "alice", register("consumer", "orders.eu", "alice", "alice-pw"))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void framesAfterARegisterWaitForItsPasswordCheck(Vertx vertx, VertxTestContext testContext) {
    // The ack in the same write as the register is read only once the register is through.
    TestBroker.deploy(vertx, settings()).compose(broker -> broker.connect(netClient, "pipelined")
        .compose(c -> c.send(register("consumer", "orders.eu", "alice", "alice-pw"), ack(0))
            .compose(v -> c.expectError("unknown_message"))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aUserAddedWithCourierUsersAddMayRegister(Vertx vertx, VertxTestContext testContext) {
    Path file = dir.resolve("added.json");
    java.io.InputStream saved = System.in;
    int code;
    System.setIn(new java.io.ByteArrayInputStream("dave-pw\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try {
      code = new picocli.CommandLine(new dev.courier.cli.Main()).execute("users", "add", "dave", "--file", file.toString(),
          "--password-stdin", "--consume", "jobs", "--cost", "4");
    } finally {
      System.setIn(saved);
    }
    assertEquals(0, code);
    TestBroker.deploy(vertx, Map.of("users_file", file.toString())).compose(broker ->
        broker.registeredConsumer(netClient, "dave", register("consumer", "jobs", "dave", "dave-pw"))
            .compose(v -> broker.connect(netClient, "dave elsewhere"))
            .compose(c -> c.send(register("consumer", "other", "dave", "dave-pw")).compose(v -> c.expectError("forbidden"))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aUsersFileThatDoesNotLoadStopsTheStartSayingWhy(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path bad = dir.resolve("bad-users.json");
    java.nio.file.Files.writeString(bad, "{\"users\":{\"eve\":{\"password_hash\":\"plain\"}}}");
    TestBroker.deploy(vertx, Map.of("users_file", bad.toString())).onComplete(testContext.failing(e -> testContext.verify(() -> {
      assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("bcrypt"), e.getMessage());
      testContext.completeNow();
    })));
  }
}
