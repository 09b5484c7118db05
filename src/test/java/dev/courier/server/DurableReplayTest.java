package dev.courier.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** With retention keeping acked segments, a new group starting at the earliest replays them. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DurableReplayTest {
  private NetClient netClient;

  @TempDir
  Path dataDir;

  @BeforeEach
  void setUp(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private DurableBroker durableWithRetention(Vertx vertx) {
    return new DurableBroker(vertx, dataDir, "retention_bytes", 10_000_000, "checkpoint_interval_ms", 50);
  }

  /** Registers on topic "t" in {@code group}, expects ids 1..3 with their payloads, acks each. */
  private Future<Void> readAllThree(TestBroker broker, String group) {
    return broker.consumer(netClient, group, WireClient.consumerOn("t", group)).compose(consumer -> {
      Future<Void> chain = Future.succeededFuture();
      for (long id = 1; id <= 3; id++) {
        long current = id;
        chain = chain.compose(v -> consumer.expectExtendedMessage(current, "m" + current, "t", 1))
            .compose(v -> consumer.send(WireClient.ack(current)));
      }
      return chain;
    });
  }

  @Test
  void aGroupCreatedAfterEveryMessageWasAckedReplaysWhatRetentionKept(Vertx vertx, VertxTestContext testContext) {
    DurableBroker durable = durableWithRetention(vertx);
    durable.start()
        .compose(broker -> broker.registeredProducer(netClient, "producer", WireClient.producerOn("t"))
            .compose(producer -> producer.send(WireClient.publish("m1"), WireClient.publish("m2"),
                WireClient.publish("m3")).compose(v -> producer.expectOks(3)))
            .compose(v -> readAllThree(broker, "first"))
            .compose(v -> broker.awaitSnapshot("everything acked", s -> s.topics().get(0).retainedMessages() == 0))
            .compose(v -> readAllThree(broker, "audit")))
        .compose(v -> durable.restart())
        .compose(restarted -> readAllThree(restarted, "after-restart"))
        .onComplete(testContext.succeedingThenComplete());
  }
}
