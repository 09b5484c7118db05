package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SEND's courier-delay-ms, courier-deliver-at, courier-ttl-ms and courier-dedup-id, in literal frames. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompLifecycleTest {
  private Vertx vertx;
  private StompBroker broker;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    broker = StompBroker.start(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aDelayedSendIsNotDeliveredBeforeItsDelayAndDoesNotHoldBackLaterSends() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/later", "ack:auto", "receipt:sub");
      assertEquals("sub", client.receive().header("receipt-id"));
      long sentAt = System.nanoTime(); // before the broker admits it, so its due time is at least this + 300 ms
      client.send("SEND", "delayed", "destination:/queue/later", "courier-delay-ms:300", "receipt:d");
      RawStomp.Received receipt = client.receive();
      assertEquals("RECEIPT", receipt.command(), receipt.toString());
      assertEquals("d", receipt.header("receipt-id"));
      assertEquals("1", receipt.header("courier-id"), "a life-cycle SEND's receipt names its id");
      client.send("SEND", "at once", "destination:/queue/later");

      RawStomp.Received first = client.receive();
      assertEquals("at once", first.text(), "a later SEND is not held behind the delayed one");
      RawStomp.Received second = client.receive();
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
      assertEquals("delayed", second.text());
      assertEquals("1", second.header("courier-attempt"));
      assertNull(second.header("courier-delay-ms"), "the life-cycle headers are not kept with the message");
      assertTrue(waitedMs >= 300, "delivered " + waitedMs + " ms after the SEND, before its 300 ms delay");
    }
  }

  @Test
  void aDeliverAtInThePastIsAnOrdinarySend() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "now", "destination:/queue/at", "courier-deliver-at:1", "receipt:s");
      assertEquals("1", client.receive().header("courier-id"));
      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/at", "ack:auto");
      RawStomp.Received message = client.receive();
      assertEquals("now", message.text());
      assertNull(message.header("courier-deliver-at"));
    }
  }

  @Test
  void aMessagePastItsTtlIsNeverDeliveredAgain() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/short", "ack:client-individual", "receipt:sub");
      assertEquals("sub", client.receive().header("receipt-id"));
      client.send("SEND", "short-lived", "destination:/queue/short", "courier-ttl-ms:200");
      // Due after the expired one would be given back: it shows that nothing came before it.
      client.send("SEND", "marker", "destination:/queue/short", "courier-delay-ms:600");
      RawStomp.Received first = client.receive();
      assertEquals("short-lived", first.text());
      assertNull(first.header("courier-ttl-ms"));
      // Given back not before 300 ms: past its 200 ms TTL, so the group never gets it again.
      client.send("NACK", "", "id:" + first.header("ack"), "courier-delay-ms:300", "receipt:n");
      assertEquals("n", client.receive().header("receipt-id"));
      RawStomp.Received next = client.receive();
      assertEquals("marker", next.text(), "the expired message came back: " + next);
    }
  }

  @Test
  void aSecondSendWithTheSameDedupIdIsConfirmedButNotStoredOrDeliveredAgain() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "once", "destination:/queue/dedup", "courier-dedup-id:order-42", "receipt:a");
      RawStomp.Received first = client.receive();
      assertEquals("a", first.header("receipt-id"));
      assertNull(first.header("courier-duplicate"));
      client.send("SEND", "twice", "destination:/queue/dedup", "courier-dedup-id:order-42", "receipt:b");
      RawStomp.Received second = client.receive();
      assertEquals("RECEIPT", second.command(), "a dedup hit is confirmed: " + second);
      assertEquals("b", second.header("receipt-id"));
      assertEquals(first.header("courier-id"), second.header("courier-id"), "it names the first one's id");
      assertEquals("true", second.header("courier-duplicate"));
      client.send("SEND", "after", "destination:/queue/dedup", "receipt:c");
      assertEquals("c", client.receive().header("receipt-id"));

      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/dedup", "ack:auto");
      RawStomp.Received once = client.receive();
      assertEquals("once", once.text());
      assertNull(once.header("courier-dedup-id"));
      assertEquals("after", client.receive().text(), "the duplicate was delivered");
    }
  }

  @Test
  void aBadLifeCycleHeaderIsAnErrorNamingItAndStoresNothing() throws Exception {
    String[][] bad = {
        {"courier-delay-ms:-1", "courier-delay-ms"},
        {"courier-delay-ms:31536000001", "courier-delay-ms"},
        {"courier-deliver-at:soon", "courier-deliver-at"},
        {"courier-ttl-ms:0", "courier-ttl-ms"},
        {"courier-ttl-ms: 5", "courier-ttl-ms"},
        {"courier-dedup-id:" + "x".repeat(129), "courier-dedup-id"},
    };
    for (String[] header : bad) {
      assertRefused(header[1], "SEND", "x", "destination:/queue/bad", header[0], "receipt:r");
    }
    assertRefused("courier-deliver-at", "SEND", "x", "destination:/queue/bad", "courier-delay-ms:5",
        "courier-deliver-at:5", "receipt:r");
    assertRefused("courier-ttl-ms", "SEND", "x", "destination:/queue/bad", "courier-delay-ms:300",
        "courier-ttl-ms:300", "receipt:r");
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "good", "destination:/queue/bad", "receipt:g");
      assertEquals("g", client.receive().header("receipt-id"));
      client.send("SUBSCRIBE", "", "id:1", "destination:/queue/bad", "ack:auto");
      assertEquals("good", client.receive().text(), "a refused SEND was stored");
    }
  }

  private void assertRefused(String named, String command, String body, String... headers) throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send(command, body, headers);
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command(), error.toString());
      assertEquals("r", error.header("receipt-id"));
      assertTrue(error.header("message").contains(named), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }
}
