package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.ClientTls;
import dev.courier.config.BrokerConfig;
import dev.courier.server.BrokerVerticle;
import dev.courier.server.TestCertificates;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's counting of lost and duplicated messages, against brokers that drop or double every
 * tenth message, and against the real broker, which must do neither.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkloadRunTest {
  /** Two producers and two consumers, so that blocks of sequence numbers and the merge are exercised. */
  private static final Scenario SMALL = Scenario.custom(2, 2, 64, 1000, 50);

  @Test
  void countsEveryTenthMessageDroppedAsLost(Vertx vertx) throws Exception {
    int port = deploy(vertx, new FakeBroker(FakeBroker.Fault.DROP_EVERY_TENTH));

    // Never receives all, so the run ends at its timeout: keep that short.
    WorkloadResult result = WorkloadRun.run("127.0.0.1", port, ClientTls.OFF, null, SMALL, Duration.ofSeconds(2), p -> { });

    assertEquals(100, result.lost());
    assertEquals(0, result.duplicated());
    assertEquals(900, result.received());
    assertTrue(result.timedOut());
    assertEquals(900, result.latencyNanos().getTotalCount());
  }

  @Test
  void countsEveryTenthMessageDeliveredTwiceAsDuplicated(Vertx vertx) throws Exception {
    int port = deploy(vertx, new FakeBroker(FakeBroker.Fault.DELIVER_EVERY_TENTH_TWICE));

    WorkloadResult result = WorkloadRun.run("127.0.0.1", port, ClientTls.OFF, null, SMALL, Duration.ofSeconds(20), p -> { });

    assertEquals(0, result.lost());
    assertEquals(100, result.duplicated());
    assertEquals(1000, result.received());
    assertFalse(result.timedOut());
    assertEquals(1100, result.latencyNanos().getTotalCount());
  }

  @Test
  void realBrokerLosesAndDuplicatesNothing(Vertx vertx) throws Exception {
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("port", 0, "storage", "memory", "stomp_port", -1, "http_port", -1)));
    int port = deploy(vertx, broker, broker::actualPort);
    Scenario scenario = Scenario.custom(2, 2, 100, 5000, 100);

    WorkloadResult result = WorkloadRun.run("127.0.0.1", port, ClientTls.OFF, null, scenario, Duration.ofSeconds(30), p -> { });

    assertEquals(0, result.lost());
    assertEquals(0, result.duplicated());
    assertEquals(5000, result.received());
    assertEquals(List.of(), result.problems());
    assertTrue(result.confirmedPerSecond() > 0);
  }

  @Test
  void fixedRateRunKeepsToItsScheduleAndReportsBothLatencies(Vertx vertx) throws Exception {
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("port", 0, "storage", "memory")));
    int port = deploy(vertx, broker, broker::actualPort);
    // 2,000 msg/s over two producers for 1,000 messages: half a second of schedule.
    Scenario scenario = Scenario.custom(2, 2, 100, 1000, 100, 2000);

    WorkloadResult result = WorkloadRun.run("127.0.0.1", port, ClientTls.OFF, null, scenario, Duration.ofSeconds(30), p -> { });

    assertEquals(0, result.lost());
    assertEquals(List.of(), result.problems());
    assertEquals(1000, result.latencyNanos().getTotalCount());
    assertEquals(1000, result.answerLatencyNanos().getTotalCount());
    // No publish goes out before its intended time, so the run cannot beat the offered rate
    // (500 messages 1 ms apart per producer take at least 499 ms).
    assertTrue(result.confirmedPerSecond() <= 2000 * 1.01, "confirmed/s " + result.confirmedPerSecond());
    RunFigures figures = RunFigures.of(result, null);
    assertEquals(2000, figures.offeredPerSecond());
    assertTrue(figures.p50Millis() > 0 && figures.p50Millis() <= figures.p99Millis()
        && figures.p99Millis() <= figures.maxMillis(), figures.toString());
    assertTrue(figures.okP50Millis() > 0 && figures.okP50Millis() <= figures.okP99Millis()
        && figures.okP99Millis() <= figures.okMaxMillis(), figures.toString());
  }

  @Test
  void realBrokerOverTlsLosesAndDuplicatesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "bench");
    TestCertificates.Pem pem = ca.server("courier-broker");
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("port", 0, "storage", "memory", "stomp_port", -1, "http_port", -1,
        "tls_cert_file", pem.cert().toString(), "tls_key_file", pem.key().toString())));
    int port = deploy(vertx, broker, broker::actualPort);

    WorkloadResult result = WorkloadRun.run("127.0.0.1", port, ClientTls.trusting(ca.caFile().toString()), null, SMALL,
        Duration.ofSeconds(30), p -> { });

    assertEquals(0, result.lost());
    assertEquals(0, result.duplicated());
    assertEquals(1000, result.received());
    assertEquals(List.of(), result.problems());
  }

  private static int deploy(Vertx vertx, FakeBroker broker) {
    return deploy(vertx, broker, broker::actualPort);
  }

  private static int deploy(Vertx vertx, Deployable verticle, IntSupplier port) {
    vertx.deployVerticle(verticle).await();
    return port.getAsInt();
  }
}
