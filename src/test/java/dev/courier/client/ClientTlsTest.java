package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientTlsTest {
  @Test
  void offLeavesTheOptionsPlain() {
    NetClientOptions options = ClientTls.OFF.apply(new NetClientOptions());
    assertFalse(options.isSsl());
    assertNull(options.getTrustOptions());
  }

  @Test
  void onChecksTheBrokersHostNameAndTrustsTheGivenCa() {
    NetClientOptions options = ClientTls.trusting("ca.pem").apply(new NetClientOptions());
    assertTrue(options.isSsl());
    assertEquals("HTTPS", options.getHostnameVerificationAlgorithm());
    assertEquals(List.of("ca.pem"), ((PemTrustOptions) options.getTrustOptions()).getCertPaths());
  }

  @Test
  void aCaFileOrClientCertificateWithoutTlsIsRefused() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new ClientTls(false, "ca.pem", null, null));
    assertTrue(error.getMessage().contains("need --tls"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClientTls(false, null, "c.pem", "k.pem"));
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new ClientTls(true, null, "c.pem", null));
    assertTrue(error.getMessage().contains("--cert-file and --key-file go together"), error.getMessage());
  }

  @Test
  void verticleConfigTurnsTlsOnWithItsFiles() {
    ClientTls tls = ClientTls.fromJson(new JsonObject().put("tls", true).put("ca_file", "ca.pem"));
    assertEquals(ClientTls.trusting("ca.pem"), tls);
    assertEquals(ClientTls.OFF, ClientTls.fromJson(new JsonObject()));
  }
}
