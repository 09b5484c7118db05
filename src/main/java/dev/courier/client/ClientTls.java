package dev.courier.client;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * How a client reaches a broker whose port speaks TLS: {@code enabled} turns TLS on; the broker's
 * certificate is checked against the CAs in {@code caFile} (PEM), or the JVM's trusted CAs when it
 * is null, and must name the host the client connects to. {@code certFile} and {@code keyFile}
 * (PEM) are the client's own certificate, for a broker that requires one (mutual TLS).
 */
public record ClientTls(boolean enabled, String caFile, String certFile, String keyFile) {
  /** Plain TCP, as the seed's clients. */
  public static final ClientTls OFF = new ClientTls(false, null, null, null);

  public ClientTls {
    if (!enabled && (caFile != null || certFile != null || keyFile != null)) {
      throw new IllegalArgumentException("--ca-file, --cert-file and --key-file need --tls");
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("--cert-file and --key-file go together");
    }
  }

  /** TLS, trusting the CAs of {@code caFile} (null: the JVM's), without a client certificate. */
  public static ClientTls trusting(String caFile) {
    return new ClientTls(true, caFile, null, null);
  }

  /** Applies these settings to {@code options}; plain TCP leaves them as they are. */
  public NetClientOptions apply(NetClientOptions options) {
    if (!enabled) {
      return options;
    }
    // "HTTPS": the broker's certificate must name the host connected to (RFC 2818), as a browser
    // checks; without it any certificate from a trusted CA would do.
    options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
    if (OpenSSLEngineOptions.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions()); // as the broker: cheaper per record
    }
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
    }
    if (certFile != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile));
    }
    return options;
  }

  /** From a verticle's {@code -conf}: tls, ca_file, cert_file, key_file. */
  public static ClientTls fromJson(JsonObject json) {
    return new ClientTls(json.getBoolean("tls", false), json.getString("ca_file"), json.getString("cert_file"),
        json.getString("key_file"));
  }
}
