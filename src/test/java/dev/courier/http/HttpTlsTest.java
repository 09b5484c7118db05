package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.config.BrokerConfig;
import dev.courier.security.PasswordHash;
import dev.courier.security.Permissions;
import dev.courier.security.TopicPatterns;
import dev.courier.security.User;
import dev.courier.security.Users;
import dev.courier.server.TestCertificates;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP listener speaks HTTPS with the broker's certificate, and passwords never go out in clear. */
@Timeout(60)
class HttpTlsTest {
  @TempDir
  Path dir;
  private TestCertificates ca;
  private HttpBroker broker;

  @BeforeEach
  void start() throws Exception {
    ca = TestCertificates.authority(dir, "test");
    TestCertificates.Pem pem = ca.server("courier-broker");
    Path usersFile = dir.resolve("users.json");
    new Users(List.of(new User("root", PasswordHash.hash("root-pw", 4),
        new Permissions(TopicPatterns.ALL, TopicPatterns.ALL, TopicPatterns.ALL)))).write(usersFile);
    broker = new HttpBroker(Map.of("users_file", usersFile.toString(), "topics", "orders",
        "tls_cert_file", pem.cert().toString(), "tls_key_file", pem.key().toString()));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void theApiAnswersOverTlsWithTheBrokersCertificate() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca.caFile())).connectTimeout(HttpBroker.TIMEOUT)
        .build();
    String basic = "Basic " + Base64.getEncoder().encodeToString("root:root-pw".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> topics = client.send(HttpRequest.newBuilder(https("/api/v1/topics"))
        .header("Authorization", basic).timeout(HttpBroker.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, topics.statusCode(), topics.body());
    assertEquals(1, new JsonObject(topics.body()).getInteger("total"));
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(https("/healthz")).timeout(HttpBroker.TIMEOUT)
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
  }

  @Test
  void plainHttpGetsNoAnswer() {
    assertThrows(IOException.class, () -> broker.get("/healthz"), "the port speaks only TLS");
  }

  @Test
  void usersOnANetworkAddressWithoutTlsRefuseToStartUnlessPlainAuthIsAllowed() {
    Map<String, Object> open = Map.of("users_file", "users.json", "http_host", "0.0.0.0");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(open));
    assertTrue(refused.getMessage().contains("http_allow_plain_auth"), refused.getMessage());
    assertTrue(BrokerConfig.defaults().with(Map.of("users_file", "users.json", "http_host", "0.0.0.0",
        "http_allow_plain_auth", true)).httpAllowPlainAuth());
    assertEquals("0.0.0.0", BrokerConfig.defaults().with(Map.of("users_file", "users.json", "http_host", "0.0.0.0",
        "tls_cert_file", "cert.pem", "tls_key_file", "key.pem")).httpHost());
    assertEquals("0.0.0.0", BrokerConfig.defaults().with(Map.of("users_file", "users.json", "http_host", "0.0.0.0",
        "http_port", -1)).httpHost(), "no HTTP listener, nothing to protect");
  }

  private URI https(String path) {
    return URI.create("https://127.0.0.1:" + broker.httpPort + path);
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
