package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.config.BrokerConfig;
import dev.courier.server.BrokerVerticle;
import dev.courier.server.TestCertificates;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The API commands reach a broker whose HTTP listener speaks HTTPS with --tls and --ca-file. */
@Timeout(60)
class ApiCommandsTlsTest {
  @TempDir
  Path dir;
  private Vertx vertx;
  private TestCertificates ca;
  private int httpPort;

  @BeforeEach
  void startBroker() {
    ca = TestCertificates.authority(dir, "test");
    TestCertificates.Pem pem = ca.server("courier-broker");
    vertx = Vertx.vertx();
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("host", "127.0.0.1", "port", 0,
        "http_port", 0, "stomp_port", -1, "storage", "memory", "drain_timeout_ms", 0, "topics", "orders",
        "tls_cert_file", pem.cert().toString(), "tls_key_file", pem.key().toString())));
    vertx.deployVerticle(broker).await();
    httpPort = broker.httpPort();
  }

  @AfterEach
  void stopBroker() {
    vertx.close().await();
  }

  @Test
  void topicsListsOverHttpsWithTheBrokersCa() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new TopicsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("--http-port", String.valueOf(httpPort), "--tls", "--ca-file", ca.caFile().toString());
    assertEquals(0, exit, err.toString());
    assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("orders ")), out.toString());
  }

  @Test
  void aCaFileWithoutTlsIsAUsageError() {
    // Usage mistakes go to the process's stderr (Usage.report): the exit code is what a script sees.
    int exit = new CommandLine(new TopicsCommand()).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(new StringWriter())).execute("--http-port", String.valueOf(httpPort), "--ca-file",
            "ca.pem");
    assertEquals(2, exit);
  }
}
