package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOMP over WebSocket at the HTTP listener's /stomp, as a browser page speaks it: the same
 * connection logic as stomp_port, so the same frames, users, permissions and limits.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompWebSocketTest {
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
        new TopicPatterns(List.of("ws", "default")), new TopicPatterns(List.of("ws", "default")),
        new TopicPatterns(List.of()))))).write(usersFile);
    vertx = Vertx.vertx();
    broker = StompBroker.start(vertx, Map.of("http_host", "127.0.0.1", "http_port", 0,
        "users_file", usersFile.toString(), "allow_anonymous", true, "max_frame_bytes", 4096));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aWebSocketClientConnectsSubscribesSendsWithAReceiptGetsTheMessageAndAcksIt() throws Exception {
    try (WsStomp client = new WsStomp(vertx, broker.httpPort(), "v12.stomp", "v11.stomp", "v10.stomp")) {
      assertEquals("v12.stomp", client.subProtocol());
      client.send("CONNECT", "", "accept-version:1.0,1.1,1.2", "host:localhost", "login:alice", "passcode:alice-pw",
          "heart-beat:0,0");
      RawStomp.Received connected = client.receive();
      assertEquals("CONNECTED", connected.command(), connected.toString());
      assertEquals("1.2", connected.header("version"));

      client.send("SUBSCRIBE", "", "id:0", "destination:/queue/ws", "ack:client-individual", "receipt:sub");
      assertEquals("sub", client.receive().header("receipt-id"));
      client.send("SEND", "hello from a page", "destination:/queue/ws", "content-type:text/plain", "receipt:r-1");
      // The RECEIPT (stored) and the MESSAGE (delivered) may come in either order.
      RawStomp.Received first = client.receive();
      RawStomp.Received second = client.receive();
      RawStomp.Received receipt = first.command().equals("RECEIPT") ? first : second;
      RawStomp.Received message = first.command().equals("RECEIPT") ? second : first;
      assertEquals("RECEIPT", receipt.command(), receipt.toString());
      assertEquals("r-1", receipt.header("receipt-id"));
      assertEquals("MESSAGE", message.command(), message.toString());
      assertEquals("hello from a page", message.text());
      assertEquals("text/plain", message.header("content-type"));
      assertEquals("0", message.header("subscription"));
      assertNotNull(message.header("ack"));

      client.send("ACK", "", "id:" + message.header("ack"), "receipt:acked");
      assertEquals("acked", client.receive().header("receipt-id"));
      // An id acked already is unknown now: the ACK above took effect in the core.
      client.send("ACK", "", "id:" + message.header("ack"), "receipt:again");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command(), error.toString());
      assertEquals("again", error.header("receipt-id"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aWebSocketSendReachesACourierConsumerAndACourierPublishReachesAWebSocketSubscriber() throws Exception {
    try (SeedSocket consumer = new SeedSocket(broker.port); WsStomp client = new WsStomp(vertx, broker.httpPort())) {
      consumer.send("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"ws\"}");
      client.connect();
      client.send("SUBSCRIBE", "", "id:s", "destination:/queue/default", "receipt:sub");
      assertEquals("sub", client.receive().header("receipt-id"));
      client.send("SEND", "to the seed consumer", "destination:/queue/ws", "receipt:sent");
      assertEquals("sent", client.receive().header("receipt-id"));
      String delivered = consumer.receive();
      assertTrue(delivered.contains("\"payload\":\"to the seed consumer\""), delivered);

      try (SeedSocket producer = new SeedSocket(broker.port)) {
        producer.send("{\"type\":\"register\",\"role\":\"producer\"}");
        producer.send("{\"type\":\"publish\",\"payload\":\"from seed\"}");
        assertEquals("{\"type\":\"ok\"}", producer.receive());
      }
      RawStomp.Received message = client.receive();
      assertEquals("MESSAGE", message.command(), message.toString());
      assertEquals("from seed", message.text());
      assertEquals("/queue/default", message.header("destination"));
    }
  }

  @Test
  void aPlainGetOfStompIsABadRequestNotAHang() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + broker.httpPort() + "/stomp")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("WebSocket upgrade"), response.body());
  }

  @Test
  void subprotocolsInStompjsOrderAreAcceptedAndCONNECTStillSettlesTheVersion() throws Exception {
    try (WsStomp client = new WsStomp(vertx, broker.httpPort(), "v10.stomp", "v11.stomp", "v12.stomp")) {
      assertEquals("v10.stomp", client.subProtocol()); // the client's first that the broker knows
      client.send("CONNECT", "", "accept-version:1.0,1.1,1.2", "host:localhost");
      assertEquals("1.2", client.receive().header("version"));
    }
    try (WsStomp client = new WsStomp(vertx, broker.httpPort())) {
      assertEquals(null, client.subProtocol());
      assertEquals("1.2", client.connect().header("version"));
    }
  }

  @Test
  void aWebSocketClientGetsTheUsersPermissionsAndLimitsOfStompPort() throws Exception {
    try (WsStomp client = new WsStomp(vertx, broker.httpPort(), "v12.stomp")) {
      client.send("CONNECT", "", "accept-version:1.2", "host:h", "login:alice", "passcode:guess", "receipt:c");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("unknown user or wrong password"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
    try (WsStomp client = new WsStomp(vertx, broker.httpPort(), "v12.stomp")) {
      client.send("CONNECT", "", "accept-version:1.2", "host:h", "login:alice", "passcode:alice-pw");
      assertEquals("CONNECTED", client.receive().command());
      client.send("SEND", "x", "destination:/queue/secret", "receipt:s");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertEquals("s", error.header("receipt-id"));
      assertTrue(client.isClosedByPeer());
    }
    try (WsStomp client = new WsStomp(vertx, broker.httpPort())) {
      client.connect();
      client.send("SEND", "y".repeat(5000), "destination:/queue/ws", "receipt:big");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("Body size exceeded"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
    // The broker serves on after every refusal, over either transport.
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
    }
  }
}
