package dev.courier.http;

import dev.courier.config.BrokerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * TLS on the HTTP listener: the broker port's certificate ({@code tls_cert_file},
 * {@code tls_key_file}), so basic-auth passwords and bearer tokens never cross the network in
 * clear. No client certificate is asked for here even with {@code tls_client_ca_file}: browsers
 * and Prometheus authenticate with basic auth, which the users file checks.
 */
final class HttpTls {
  /** The versions the broker port speaks (server.ServerTls, RFC 8996): no older client is real. */
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private HttpTls() {}

  /**
   * The listener's options, TLS on when the broker has a certificate. Blocking when it has (it
   * reads the PEM files, so the listen itself touches no file): run it off the event loop.
   */
  static HttpServerOptions options(BrokerConfig config) {
    HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort());
    if (!config.isTls()) {
      return options;
    }
    if (OpenSSLEngineOptions.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions());
    }
    return options.setSsl(true).setEnabledSecureTransportProtocols(PROTOCOLS)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(read("tls_cert_file", config.tlsCertFile()))
            .setKeyValue(read("tls_key_file", config.tlsKeyFile())));
  }

  /** The scheme the listener speaks, for its log line and docs. */
  static String scheme(BrokerConfig config) {
    return config.isTls() ? "https" : "http";
  }

  private static Buffer read(String key, String file) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(key + " " + file + " is not a readable file", e);
    }
  }
}
