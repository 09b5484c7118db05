package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.stomp.Frame;
import io.vertx.ext.stomp.StompClientConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A SEND's RECEIPT is a publisher confirm: what was confirmed is there after a restart. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompDurableTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void everyReceiptedSendAndAnUnackedDeliveryAreDeliveredAfterARestart(@TempDir Path dataDir) throws Exception {
    Map<String, Object> durable = Map.of("storage", "durable", "data_dir", dataDir.toString(), "fsync", "always");
    StompBroker first = StompBroker.start(vertx, durable);
    StompClientConnection producer = first.client();
    for (int i = 0; i < 20; i++) {
      producer.send("/queue/kept", Buffer.buffer("m" + i)).await(); // completes on the RECEIPT
    }
    StompClientConnection consumer = first.client();
    BlockingQueue<Frame> before = new LinkedBlockingQueue<>();
    consumer.subscribe("/queue/kept", new HashMap<>(Map.of("ack", "client-individual", "prefetch-count", "1")),
        before::add).await();
    Frame m0 = before.poll(5, TimeUnit.SECONDS);
    assertNotNull(m0);
    assertEquals("m0", m0.getBodyAsString()); // delivered, never acked
    first.stop();

    StompBroker second = StompBroker.start(vertx, durable);
    StompClientConnection after = second.client();
    BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    after.subscribe("/queue/kept", new HashMap<>(Map.of("ack", "client-individual")), received::add).await();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Frame message = received.poll(5, TimeUnit.SECONDS);
      assertNotNull(message, "message " + i + " after the restart");
      bodies.add(message.getBodyAsString());
      after.ack(message.getAck()).await();
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("m" + i);
    }
    assertEquals(expected, bodies);
  }
}
