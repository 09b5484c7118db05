package dev.courier.cli;

import dev.courier.client.Credentials;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the broker's HTTP API is (docs/HTTP.md), and who asks: the options of the commands that use it. */
final class ApiEndpoint {
  /** A broker on the same machine answers in milliseconds; this only bounds a hung one. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--host", description = "broker host (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--http-port", description = "the broker's http_port (default: ${DEFAULT-VALUE})",
      defaultValue = "8081")
  int httpPort;

  @Option(names = "--tls", description = "speak HTTPS: the broker has tls_cert_file, and its HTTP listener uses it too")
  boolean tls;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "with --tls: trust the broker certificates these CAs signed (default: the JVM's trusted CAs)")
  String caFile;

  @Mixin
  UserOptions credentialOptions;

  private Credentials credentials = Credentials.NONE;
  private HttpClient client;

  void validate() {
    Usage.require(host != null && !host.isBlank(), "--host must not be empty");
    Usage.require(httpPort >= 1 && httpPort <= 65535, "--http-port must be 1..65535, was " + httpPort);
    Usage.require(tls || caFile == null, "--ca-file needs --tls");
    Usage.require(caFile == null || Files.isReadable(Path.of(caFile)), "--ca-file " + caFile + " is not a readable file");
    credentialOptions.validate();
    credentials = credentialOptions.credentials();
  }

  static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** TLS that trusts the CAs of a PEM file (one or more certificates) and nothing else. */
  private static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + n++, ca);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("--ca-file " + caFile + " holds no usable certificate: " + e.getMessage(), e);
    }
  }

  /** The JSON answer of {@code method path}; an API error becomes an exception with its code and message. */
  JsonObject call(String method, String path) throws IOException, InterruptedException {
    if (client == null) {
      HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
      client = (caFile == null ? builder : builder.sslContext(trusting(Path.of(caFile)))).build();
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((tls ? "https://" : "http://") + host + ":"
            + httpPort + path))
        .timeout(TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody());
    if (credentials.isPresent()) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (credentials.user() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach the HTTP API at " + host + ":" + httpPort
          + " (is http_port set, and --http-port right?)", e);
    }
    JsonObject body;
    try {
      body = response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
    } catch (RuntimeException e) {
      throw new IOException(host + ":" + httpPort + " answered " + response.statusCode() + " with no JSON: is it a Courier broker's http_port?");
    }
    if (response.statusCode() >= 400) {
      JsonObject error = body.getJsonObject("error", new JsonObject());
      throw new IOException(error.getString("code", "http_" + response.statusCode()) + ": "
          + error.getString("message", "HTTP " + response.statusCode()));
    }
    return body;
  }
}
