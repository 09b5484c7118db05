package dev.courier.http;

import static dev.courier.http.HttpApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With a users file every endpoint but the health checks (and /metrics, by default) needs a user. */
@Timeout(60)
class HttpAuthTest {
  /** bcrypt's smallest cost: the test checks who gets in, not how slowly. */
  private static final int TEST_COST = 4;

  @TempDir
  Path dir;
  private HttpBroker broker;

  @BeforeEach
  void start() throws Exception {
    Path usersFile = dir.resolve("users.json");
    new Users(List.of(
        new User("root", PasswordHash.hash("root-pw", TEST_COST), new Permissions(TopicPatterns.ALL, TopicPatterns.ALL,
            TopicPatterns.ALL)),
        new User("reader", PasswordHash.hash("reader-pw", TEST_COST), new Permissions(TopicPatterns.NONE,
            new TopicPatterns(List.of("orders")), TopicPatterns.NONE)))).write(usersFile);
    broker = new HttpBroker(Map.of("users_file", usersFile.toString(), "topics", "orders"));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void healthChecksAndMetricsStayOpen() throws Exception {
    assertEquals(200, broker.get("/healthz").statusCode());
    assertEquals(200, broker.get("/readyz").statusCode());
    HttpResponse<String> metrics = broker.get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("courier_messages_published_total{topic=\"orders\"} 0.0"), metrics.body());
  }

  @Test
  void theApiAndTheDashboardNeedCredentials() throws Exception {
    HttpResponse<String> none = broker.get("/api/v1/topics");
    assertError(none, 401, "unauthorized");
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), none.headers().toString());
    assertEquals(401, broker.get("/").statusCode());
    assertError(broker.as("root", "wrong").get("/api/v1/topics"), 401, "unauthorized");
    assertError(broker.as("nobody", "root-pw").get("/api/v1/topics"), 401, "unauthorized");
    assertEquals(1, broker.as("root", "root-pw").getJson("/api/v1/topics").getInteger("total"));
    assertEquals(200, broker.get("/").statusCode());
  }

  @Test
  void aUserWithoutAdminIsForbiddenTheBrokerWideFigures() throws Exception {
    broker.as("reader", "reader-pw");
    assertError(broker.get("/api/v1/topics"), 403, "forbidden");
    assertError(broker.get("/api/v1/topics/orders"), 403, "forbidden");
    assertError(broker.get("/api/v1/connections"), 403, "forbidden");
    assertEquals(0, broker.getJson("/api/v1/topics/orders/messages").getJsonArray("messages").size(),
        "consume on a topic is enough to peek it");
    assertError(broker.send("POST", "/api/v1/topics/orders/messages", "x"), 403, "forbidden");
    broker.as("root", "root-pw").getJson("/api/v1/topics");
  }

  @Test
  void protectedMetricsNeedAnAdmin() throws Exception {
    broker.close();
    broker = new HttpBroker(Map.of("users_file", dir.resolve("users.json").toString(), "metrics_open", false));
    assertError(broker.get("/metrics"), 401, "unauthorized");
    assertError(broker.as("reader", "reader-pw").get("/metrics"), 403, "forbidden");
    assertEquals(200, broker.as("root", "root-pw").get("/metrics").statusCode());
  }
}
