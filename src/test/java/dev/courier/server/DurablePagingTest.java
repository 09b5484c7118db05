package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.TopicStats;
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

/** A backlog larger than topic_memory_bytes stays on disk and is delivered in order all the same. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DurablePagingTest {
  private static final int MESSAGES = 300;
  private NetClient netClient;

  @TempDir
  Path dataDir;

  @BeforeEach
  void setUp(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private DurableBroker durableWithTinyMemory(Vertx vertx) {
    // 1 KiB of messages in memory per topic: 4 of these 100-byte messages (240 bytes each, ResidentSize).
    return new DurableBroker(vertx, dataDir, "topic_memory_bytes", 1024);
  }

  private static String payload(int i) {
    return String.format("%05d", i) + "x".repeat(95);
  }

  private Future<Void> publishAll(TestBroker broker) {
    return broker.registeredProducer(netClient, "producer").compose(producer -> {
      String[] frames = new String[MESSAGES];
      for (int i = 0; i < MESSAGES; i++) {
        frames[i] = WireClient.publish(payload(i));
      }
      return producer.send(frames).compose(v -> producer.expectOks(MESSAGES));
    });
  }

  private Future<Void> consumeAllInOrder(TestBroker broker) {
    return broker.consumer(netClient, "consumer").compose(consumer -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < MESSAGES; i++) {
        long id = i + 1;
        String payload = payload(i);
        chain = chain.compose(v -> consumer.expectMessage(id, payload)).compose(v -> consumer.send(WireClient.ack(id)));
      }
      return chain;
    });
  }

  @Test
  void aBacklogBeyondTheMemoryBudgetIsDeliveredInOrder(Vertx vertx, VertxTestContext testContext) {
    durableWithTinyMemory(vertx).start()
        .compose(broker -> publishAll(broker)
            .compose(v -> broker.snapshot())
            .compose(snapshot -> {
              TopicStats topic = snapshot.topics().get(0);
              testContext.verify(() -> {
                assertEquals(MESSAGES * 100L, topic.retainedBytes());
                assertTrue(topic.residentBytes() <= 1024, "in memory: " + topic.residentBytes());
              });
              return consumeAllInOrder(broker);
            }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aRecoveredBacklogBeyondTheMemoryBudgetIsDeliveredInOrder(Vertx vertx, VertxTestContext testContext) {
    DurableBroker durable = durableWithTinyMemory(vertx);
    durable.start()
        .compose(this::publishAll)
        .compose(v -> durable.restart())
        .compose(this::consumeAllInOrder)
        .onComplete(testContext.succeedingThenComplete());
  }
}
