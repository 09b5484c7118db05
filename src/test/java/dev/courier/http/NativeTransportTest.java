package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.client.CourierClient;
import dev.courier.config.BrokerConfig;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeTransportTest {

  /** The epoll jar in the pom is Netty's linux-x86_64 build; everywhere else Vert.x stays on NIO. */
  private static final boolean EPOLL_PLATFORM = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
      && System.getProperty("os.arch").equals("amd64");

  @Test
  void theBrokersVertxRunsOnEpollOnLinuxX86AndOnNioElsewhere() {
    for (BrokerConfig config : new BrokerConfig[] {BrokerConfig.defaults().with(Map.of("http_port", -1)),
        BrokerConfig.defaults().with(Map.of("http_port", 0))}) {
      Vertx vertx = HttpVerticle.vertxFor(config);
      try {
        assertEquals(EPOLL_PLATFORM, vertx.isNativeTransportEnabled(),
            "http=" + config.hasHttp() + ": " + vertx.unavailableNativeTransportCause());
      } finally {
        vertx.close().await();
      }
    }
  }

  @Test
  void aClientsOwnVertxRunsOnEpollOnLinuxX86AndOnNioElsewhere() {
    Vertx vertx = CourierClient.newVertx();
    try {
      assertEquals(EPOLL_PLATFORM, vertx.isNativeTransportEnabled(), String.valueOf(vertx.unavailableNativeTransportCause()));
    } finally {
      vertx.close().await();
    }
  }
}
