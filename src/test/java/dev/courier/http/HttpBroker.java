package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.config.BrokerConfig;
import dev.courier.server.BrokerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real broker with its HTTP listener on 127.0.0.1 and ephemeral ports, memory storage, for one
 * test; blocking HTTP and seed-protocol helpers for the JUnit thread (never an event loop).
 */
final class HttpBroker implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_MS = 20;

  final Vertx vertx = Vertx.vertx();
  final BrokerVerticle verticle;
  final int port;
  final int httpPort;
  final String deploymentId;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private String authorization;

  HttpBroker(Map<String, ?> overrides) {
    Map<String, Object> settings = new HashMap<>(Map.of("host", "127.0.0.1", "port", 0, "http_host", "127.0.0.1",
        "http_port", 0, "stomp_port", -1, "storage", "memory", "drain_timeout_ms", 0));
    settings.putAll(overrides);
    verticle = new BrokerVerticle(BrokerConfig.defaults().with(settings));
    deploymentId = vertx.deployVerticle(verticle).await();
    port = verticle.actualPort();
    httpPort = verticle.httpPort();
  }

  HttpBroker() {
    this(Map.of());
  }

  /** Later requests carry basic-auth credentials; null: none. */
  HttpBroker as(String user, String password) {
    authorization = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET());
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)));
  }

  JsonObject getJson(String path) throws Exception {
    return getJsonFrom(path, get(path));
  }

  private static JsonObject getJsonFrom(String path, HttpResponse<String> response) {
    assertTrue(response.statusCode() == 200, path + " answered " + response.statusCode() + ": " + response.body());
    return new JsonObject(response.body());
  }

  /**
   * Polls {@code path} until it answers 200 with JSON that satisfies {@code condition} (a 404 counts
   * as not yet: a dead-letter topic, for one, exists only once its first message is on its way);
   * fails after {@link #TIMEOUT}.
   */
  JsonObject awaitJson(String path, Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(path);
      if (response.statusCode() != 404) {
        last = getJsonFrom(path, response);
        if (condition.test(last)) {
          return last;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_MS * 1_000_000);
    }
    throw new AssertionError(path + " never satisfied the condition; last: " + last);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(TIMEOUT);
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A seed-protocol client socket on the broker port. */
  Socket socket() throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    return socket;
  }

  static void sendFrame(Socket socket, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    socket.getOutputStream().write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
  }

  static JsonObject receiveFrame(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return new JsonObject(new String(body, StandardCharsets.UTF_8));
  }

  /** A producer on {@code topic} that has published every payload and seen each {@code ok}. */
  Socket publish(String topic, String... payloads) throws IOException {
    Socket producer = socket();
    sendFrame(producer, new JsonObject().put("type", "register").put("role", "producer").put("topic", topic).encode());
    for (String payload : payloads) {
      sendFrame(producer, new JsonObject().put("type", "publish").put("payload", payload).encode());
      JsonObject reply = receiveFrame(producer);
      assertTrue("ok".equals(reply.getString("type")), "publish answered " + reply);
    }
    return producer;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
