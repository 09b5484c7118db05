package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** NACK with courier-delay-ms (the core's nack delay), and dead letters as a STOMP consumer sees them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompNackDelayTest {
  private Vertx vertx;
  private StompBroker broker;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    broker = StompBroker.start(vertx, Map.of("max_deliveries", 2));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aNackWithCourierDelayMsGivesTheMessageBackNotBeforeThatDelay() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "later", "destination:/queue/delayed", "receipt:sent");
      assertEquals("sent", client.receive().header("receipt-id"));
      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/delayed", "ack:client-individual");
      RawStomp.Received first = client.receive();
      assertEquals("1", first.header("courier-attempt"));

      long nackedAt = System.nanoTime();
      client.send("NACK", "", "id:" + first.header("ack"), "courier-delay-ms:400", "receipt:nacked");
      assertEquals("nacked", client.receive().header("receipt-id"));
      RawStomp.Received again = client.receive();
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nackedAt);
      assertEquals("MESSAGE", again.command(), again.toString());
      assertEquals("later", again.text());
      assertEquals("true", again.header("redelivered"));
      assertEquals("2", again.header("courier-attempt"));
      assertTrue(waitedMs >= 400, "given back after " + waitedMs + " ms, before the 400 ms the NACK asked for");
    }
  }

  @Test
  void aCourierDelayMsThatIsNoNumberOfMillisecondsIsAnError() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "x", "destination:/queue/bad-delay", "receipt:sent");
      assertEquals("sent", client.receive().header("receipt-id"));
      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/bad-delay", "ack:client-individual");
      RawStomp.Received message = client.receive();
      client.send("NACK", "", "id:" + message.header("ack"), "courier-delay-ms:-5", "receipt:n");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertEquals("n", error.header("receipt-id"));
      assertTrue(error.header("message").contains("courier-delay-ms"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aMessageNackedMaxDeliveriesTimesReachesAStompConsumerOfTopicDlqWithItsOriginsInHeaders() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "poison", "destination:/queue/work", "courier-key:k-1", "trace:t-9", "receipt:sent");
      assertEquals("sent", client.receive().header("receipt-id"));
      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/work", "ack:client-individual");
      for (int attempt = 1; attempt <= 2; attempt++) {
        RawStomp.Received message = client.receive();
        assertEquals(Integer.toString(attempt), message.header("courier-attempt"));
        client.send("NACK", "", "id:" + message.header("ack"));
      }
      client.send("SUBSCRIBE", "", "id:2", "destination:/queue/work.dlq", "ack:client-individual");
      RawStomp.Received dead = client.receive();
      assertEquals("MESSAGE", dead.command(), dead.toString());
      assertEquals("2", dead.header("subscription"));
      assertEquals("poison", dead.text());
      assertEquals("k-1", dead.header("courier-key"));
      assertEquals("t-9", dead.header("trace"));
      assertEquals("work", dead.header("x-original-topic"));
      assertEquals("default", dead.header("x-original-group"));
      assertEquals("1", dead.header("x-original-id"));
      assertEquals("2", dead.header("x-attempts"));
      assertEquals("nack", dead.header("x-reason"));
      client.send("ACK", "", "id:" + dead.header("ack"), "receipt:acked");
      assertEquals("acked", client.receive().header("receipt-id"));
    }
  }
}
