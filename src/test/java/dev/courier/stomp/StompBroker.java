package dev.courier.stomp;

import dev.courier.config.BrokerConfig;
import dev.courier.server.BrokerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.stomp.StompClient;
import io.vertx.ext.stomp.StompClientConnection;
import io.vertx.ext.stomp.StompClientOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * A real broker with its STOMP listener on 127.0.0.1 and ephemeral ports, deployed for one test:
 * memory storage and no drain wait unless {@code overrides} say otherwise.
 */
final class StompBroker {
  final Vertx vertx;
  final BrokerVerticle verticle;
  final String deploymentId;
  final int port;
  final int stompPort;

  private StompBroker(Vertx vertx, BrokerVerticle verticle, String deploymentId) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
    this.port = verticle.actualPort();
    this.stompPort = verticle.actualStompPort();
  }

  static StompBroker start(Vertx vertx, Map<String, ?> overrides) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("host", "127.0.0.1");
    settings.put("port", 0);
    settings.put("stomp_port", 0);
    settings.put("http_port", -1); // 8081 is one fixed port for every test broker on this machine
    settings.put("drain_timeout_ms", 0);
    settings.put("storage", "memory");
    settings.putAll(overrides);
    BrokerVerticle verticle = new BrokerVerticle(BrokerConfig.defaults().with(settings));
    String id = vertx.deployVerticle(verticle).await();
    return new StompBroker(vertx, verticle, id);
  }

  static StompBroker start(Vertx vertx) {
    return start(vertx, Map.of());
  }

  void stop() {
    vertx.undeploy(deploymentId).await();
  }

  /** vertx-stomp's client, connected, without heart-beats (tests of those use raw sockets). */
  StompClientConnection client() {
    StompClient client = StompClient.create(vertx, new StompClientOptions().setHost("127.0.0.1").setPort(stompPort)
        .setHeartbeat(new JsonObject().put("x", 0).put("y", 0)));
    return client.connect().await();
  }
}
