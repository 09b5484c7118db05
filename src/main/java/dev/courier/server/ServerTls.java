package dev.courier.server;

import dev.courier.config.BrokerConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS on the broker port, from {@code tls_cert_file}, {@code tls_key_file} and
 * {@code tls_client_ca_file}: which protocols, which files, whether a client certificate is
 * required, and the user a verified client certificate names.
 */
final class ServerTls {
  /**
   * TLS 1.0 and 1.1 are deprecated (RFC 8996) and broken in ways 1.2 is not; every JDK since 8 and
   * every current TLS library speaks 1.2, so refusing older versions costs no real client.
   */
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** A refused handshake's reason is a sentence; past this it is bytes the peer chose. */
  private static final int MAX_REASON_CHARS = 160;

  private ServerTls() {}

  /**
   * The innermost cause's class and the start of its message, for one log line: the engines
   * wrap the reason ("unable to find valid certification path") in a general one.
   */
  static String brief(Throwable e) {
    Throwable innermost = e;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    String reason = innermost.getClass().getSimpleName() + ": " + innermost.getMessage();
    return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "...";
  }

  /**
   * Fails, naming the setting and the file, when a configured file cannot be read: a broker
   * that cannot use its certificate must not start, let alone start in plain text. Blocking (it
   * touches the file system): run it off the event loop.
   */
  static void checkFiles(BrokerConfig config) {
    checkReadable("tls_cert_file", config.tlsCertFile());
    checkReadable("tls_key_file", config.tlsKeyFile());
    if (config.requiresClientCertificates()) {
      checkReadable("tls_client_ca_file", config.tlsClientCaFile());
    }
  }

  private static void checkReadable(String key, String file) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalStateException(key + " " + file + " is not a readable file");
    }
  }

  /** Turns TLS on in {@code options} as configured; leaves them plain when TLS is off. */
  static NetServerOptions apply(BrokerConfig config, NetServerOptions options) {
    if (!config.isTls()) {
      return options;
    }
    if (OpenSSLEngineOptions.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions());
    }
    options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertFile()).setKeyPath(config.tlsKeyFile()))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
    if (config.requiresClientCertificates()) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(config.tlsClientCaFile()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  /** What the broker port speaks, for the "listening" line. */
  static String describe(BrokerConfig config) {
    if (!config.isTls()) {
      return "plain TCP";
    }
    return "TLS " + String.join("/", PROTOCOLS.stream().sorted().toList())
        + (OpenSSLEngineOptions.isAvailable() ? " (BoringSSL)" : " (JDK)")
        + (config.requiresClientCertificates() ? ", client certificates required" : "");
  }

  /**
   * The subject CN of the client certificate the handshake verified, or null: no TLS, no client
   * certificate asked for, or a subject without a CN. Only meaningful once the handshake is done,
   * which it is when the server's connect handler runs.
   */
  static String commonName(NetSocket socket) {
    if (!socket.isSsl()) {
      return null;
    }
    List<Certificate> chain;
    try {
      chain = socket.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null; // TLS without tls_client_ca_file: the client was not asked for a certificate
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      return null;
    }
    return commonName(leaf.getSubjectX500Principal().getName());
  }

  /** The last CN of an RFC 2253 distinguished name (the most specific one), or null. */
  static String commonName(String distinguishedName) {
    try {
      List<Rdn> rdns = new LdapName(distinguishedName).getRdns(); // most significant first
      String cn = null;
      for (Rdn rdn : rdns) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          cn = rdn.getValue().toString();
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
