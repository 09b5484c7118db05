package dev.courier.cli;

import dev.courier.client.Credentials;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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

  @Mixin
  UserOptions credentialOptions;

  private Credentials credentials = Credentials.NONE;
  private HttpClient client;

  void validate() {
    Usage.require(host != null && !host.isBlank(), "--host must not be empty");
    Usage.require(httpPort >= 1 && httpPort <= 65535, "--http-port must be 1..65535, was " + httpPort);
    credentialOptions.validate();
    credentials = credentialOptions.credentials();
  }

  static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The JSON answer of {@code method path}; an API error becomes an exception with its code and message. */
  JsonObject call(String method, String path) throws IOException, InterruptedException {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + path))
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
