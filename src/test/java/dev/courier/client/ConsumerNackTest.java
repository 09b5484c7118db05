package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.courier.config.BrokerConfig;
import dev.courier.server.BrokerVerticle;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The consumer's --nack-every against a real broker: the nacked message comes back and is then acked. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConsumerNackTest {

  @Test
  void everySecondMessageIsNackedAndComesBackOnceMore(Vertx vertx, VertxTestContext testContext) {
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("port", 0, "storage", "memory",
        "drain_timeout_ms", 0, "stomp_port", -1)));
    vertx.deployVerticle(broker)
        .compose(id -> {
          ProducerVerticle producer = new ProducerVerticle(new ProducerOptions("127.0.0.1", broker.actualPort(), "jobs",
              List.of("a", "b"), 0, 1, 0, 10));
          return vertx.deployVerticle(producer).compose(d -> producer.completion());
        })
        .compose(produced -> {
          // a: acked; b: nacked (the 2nd received); b again, attempt 2 (the 3rd): acked.
          ConsumerOptions options = new ConsumerOptions("127.0.0.1", broker.actualPort(), "jobs", null, null, false, 3,
              0, true, null, null, new NackPlan(2, null));
          ConsumerVerticle consumer = new ConsumerVerticle(options, m -> { });
          return vertx.deployVerticle(consumer).compose(d -> consumer.completion());
        })
        .onComplete(testContext.succeeding(summary -> testContext.verify(() -> {
          assertNull(summary.failure(), summary.describeWithErrors());
          assertEquals(0, summary.errors(), summary.describeWithErrors());
          assertEquals(3, summary.received(), summary.describe());
          assertEquals(1, summary.redelivered(), summary.describe());
          assertEquals(2, summary.acked(), summary.describe());
          assertEquals(1, summary.nacked(), summary.describe());
          testContext.completeNow();
        })));
  }
}
