package dev.courier.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.opentest4j.AssertionFailedError;

/** Clients for the TLS tests: configured NetClients, and a peer the broker is expected to turn away. */
final class TlsPeers {
  private TlsPeers() {}

  /** TLS that trusts {@code ca} and checks that the broker's certificate names 127.0.0.1. */
  static NetClientOptions trusting(Path ca) {
    return new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
  }

  /** As {@link #trusting}, presenting {@code client}'s certificate. */
  static NetClientOptions presenting(Path ca, TestCertificates.Pem client) {
    return trusting(ca).setKeyCertOptions(new PemKeyCertOptions().setCertPath(client.cert().toString())
        .setKeyPath(client.key().toString()));
  }

  /**
   * As {@link #presenting}, but sends {@code client}'s certificate even when the broker asks for
   * one from other CAs: the JDK's own key manager would send none, and the test would only show
   * what {@link #trusting} shows.
   */
  static NetClientOptions insisting(Path ca, TestCertificates.Pem client) {
    return trusting(ca).setKeyCertOptions(KeyCertOptions.wrap(new AlwaysThisCertificate(client)));
  }

  /** A key manager with one client certificate, offered whatever the server asks for. */
  private static final class AlwaysThisCertificate extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final X509Certificate certificate;
    private final PrivateKey key;

    AlwaysThisCertificate(TestCertificates.Pem pem) {
      try (InputStream in = Files.newInputStream(pem.cert())) {
        certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        String base64 = Files.readString(pem.key()).replaceAll("-----[A-Z ]+-----|\\s", "");
        key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot read " + pem, e);
      }
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {certificate};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  /**
   * Connects with {@code client} (plain or TLS, as it was made), writes {@code bytes}, and
   * completes with every byte the application received once the broker has closed the
   * connection. A connect whose TLS handshake is refused counts as closed with nothing received:
   * with TLS 1.3 a refused client certificate may show either way, after the client's side of the
   * handshake or during it. Fails if the connection is still open after {@link WireClient#DEADLINE_MS}.
   */
  static Future<Buffer> receivedUntilClosed(Vertx vertx, NetClient client, int port, Buffer bytes) {
    Promise<Buffer> closed = Promise.promise();
    Buffer received = Buffer.buffer();
    client.connect(port, "127.0.0.1").onFailure(e -> closed.tryComplete(received)).onSuccess(socket -> {
      long timer = vertx.setTimer(WireClient.DEADLINE_MS, t -> closed.tryFail(
          new AssertionFailedError("the broker kept the connection open for " + WireClient.DEADLINE_MS + " ms")));
      socket.handler(received::appendBuffer);
      socket.exceptionHandler(e -> { }); // the refusal itself; what counts is that it closes
      socket.closeHandler(v -> {
        vertx.cancelTimer(timer);
        closed.tryComplete(received);
      });
      socket.write(bytes);
    });
    return closed.future();
  }
}
