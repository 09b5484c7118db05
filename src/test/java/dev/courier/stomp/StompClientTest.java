package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.stomp.Frame;
import io.vertx.ext.stomp.StompClientConnection;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The listener driven by vertx-stomp's own client, one independent STOMP implementation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompClientTest {
  /** A frame that should come is waited for this long; one that comes proves its order. */
  private static final long WAIT_MS = 5_000;

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
  void aSendWithAReceiptIsConfirmedAndReachesAQueueSubscriberWhoAcksIt() throws Exception {
    StompClientConnection producer = broker.client();
    StompClientConnection consumer = broker.client();
    BlockingQueue<Frame> received = subscribe(consumer, "/queue/orders", Map.of("ack", "client-individual"));
    // The client's future completes with the frame it sent once the RECEIPT for it came.
    Frame sent = producer.send("/queue/orders", headers("content-type", "text/plain", "order", "7"),
        Buffer.buffer("first")).await();
    assertNotNull(sent.getHeader(Frame.RECEIPT));
    Frame message = next(received);
    assertEquals("first", message.getBodyAsString());
    assertEquals("7", message.getHeader("order"));
    assertEquals("text/plain", message.getHeader("content-type"));
    assertEquals("/queue/orders", message.getDestination());
    assertNotNull(consumer.ack(message.getAck()).await());
  }

  @Test
  void aNackGivesTheMessageBackAndItIsDeliveredAgainAsARedelivery() throws Exception {
    StompClientConnection client = broker.client();
    BlockingQueue<Frame> received = subscribe(client, "/queue/retry", Map.of("ack", "client-individual"));
    client.send("/queue/retry", Buffer.buffer("again")).await();
    Frame first = next(received);
    assertEquals("1", first.getHeader("courier-attempt"));
    assertEquals("false", first.getHeader("redelivered"));
    client.nack(first.getAck()).await();
    Frame second = next(received);
    assertEquals("again", second.getBodyAsString());
    assertEquals("2", second.getHeader("courier-attempt"));
    assertEquals("true", second.getHeader("redelivered"));
    assertEquals(first.getHeader("courier-id"), second.getHeader("courier-id"));
  }

  @Test
  void prefetchCountOneHoldsTheSecondMessageBackUntilTheFirstIsAcked() throws Exception {
    StompClientConnection client = broker.client();
    BlockingQueue<Frame> work = subscribe(client, "/queue/work",
        Map.of("ack", "client-individual", "prefetch-count", "1"));
    BlockingQueue<Frame> markers = subscribe(client, "/queue/marker", Map.of());
    client.send("/queue/work", Buffer.buffer("one")).await();
    client.send("/queue/work", Buffer.buffer("two")).await();
    Frame one = next(work);
    assertEquals("one", one.getBodyAsString());
    // Barrier: the marker is sent after "two" was stored; had credit allowed "two", it came first.
    client.send("/queue/marker", Buffer.buffer("m")).await();
    next(markers);
    assertNull(work.poll(), "prefetch-count 1: nothing more before the ack");
    client.ack(one.getAck()).await();
    assertEquals("two", next(work).getBodyAsString());
  }

  @Test
  void ackModeClientAcksEveryDeliveryUpToTheOneNamed() throws Exception {
    StompClientConnection first = broker.client();
    BlockingQueue<Frame> received = subscribe(first, "/queue/batch", Map.of("ack", "client"));
    for (String body : new String[] {"a", "b", "c"}) {
      first.send("/queue/batch", Buffer.buffer(body)).await();
    }
    next(received);
    next(received);
    Frame c = next(received);
    first.ack(c.getAck()).await();
    first.disconnect().await();
    // Were a or b unacked, they would come back to the next consumer before the marker.
    StompClientConnection second = broker.client();
    second.send("/queue/batch", Buffer.buffer("marker")).await();
    BlockingQueue<Frame> after = subscribe(second, "/queue/batch", Map.of("ack", "client-individual"));
    assertEquals("marker", next(after).getBodyAsString());
  }

  @Test
  void aTransactionsSendsTakeEffectAtCommitAndAnAbortDropsThem() throws Exception {
    StompClientConnection client = broker.client();
    BlockingQueue<Frame> received = subscribe(client, "/queue/tx", Map.of());
    client.beginTX("dropped").await();
    client.send("/queue/tx", headers("transaction", "dropped"), Buffer.buffer("never")).await();
    client.abort("dropped").await();
    client.beginTX("kept").await();
    client.send("/queue/tx", headers("transaction", "kept"), Buffer.buffer("at-commit")).await();
    // Barrier: a SEND outside the transaction goes first, since the transaction's waits for COMMIT.
    client.send("/queue/tx", Buffer.buffer("outside")).await();
    assertEquals("outside", next(received).getBodyAsString());
    client.commit("kept").await();
    assertEquals("at-commit", next(received).getBodyAsString());
    client.send("/queue/tx", Buffer.buffer("marker")).await();
    assertEquals("marker", next(received).getBodyAsString(), "the aborted SEND never arrives");
  }

  @Test
  void anAckInATransactionTakesEffectAtCommit() throws Exception {
    StompClientConnection client = broker.client();
    BlockingQueue<Frame> received = subscribe(client, "/queue/txack", Map.of("ack", "client-individual"));
    client.send("/queue/txack", Buffer.buffer("m")).await();
    Frame message = next(received);
    client.beginTX("t").await();
    client.ack(message.getAck(), "t").await();
    client.abort("t").await();
    // The ACK was aborted: the message is still this consumer's, and a NACK gives it back.
    client.nack(message.getAck()).await();
    Frame again = next(received);
    assertEquals("2", again.getHeader("courier-attempt"));
    client.beginTX("u").await();
    client.ack(again.getAck(), "u").await();
    client.commit("u").await();
    client.send("/queue/txack", Buffer.buffer("marker")).await();
    assertEquals("marker", next(received).getBodyAsString());
  }

  @Test
  void topicSubscriptionsWithTheirOwnDurableNamesEachGetEveryMessage() throws Exception {
    StompClientConnection client = broker.client();
    BlockingQueue<Frame> audit = subscribe(client, "/topic/news",
        Map.of("id", "audit", "durable-subscription-name", "audit"));
    BlockingQueue<Frame> mail = subscribe(client, "/topic/news", Map.of("id", "mail", "courier-group", "mail"));
    client.send("/topic/news", Buffer.buffer("headline")).await();
    assertEquals("headline", next(audit).getBodyAsString());
    assertEquals("headline", next(mail).getBodyAsString());
  }

  @Test
  void aConsumerThatVanishesHasItsMessagesRedeliveredToAnotherAtOnce() throws Exception {
    StompClientConnection vanishing = broker.client();
    StompClientConnection survivor = broker.client();
    BlockingQueue<Frame> lost = subscribe(vanishing, "/queue/jobs", Map.of("ack", "client-individual"));
    vanishing.send("/queue/jobs", Buffer.buffer("job")).await();
    assertEquals("job", next(lost).getBodyAsString());
    BlockingQueue<Frame> taken = subscribe(survivor, "/queue/jobs", Map.of("ack", "client-individual"));
    vanishing.close();
    Frame redelivered = next(taken);
    assertEquals("job", redelivered.getBodyAsString());
    assertEquals("true", redelivered.getHeader("redelivered"));
  }

  @Test
  void anUnsubscribeGivesItsUnackedMessagesToTheOtherConsumers() throws Exception {
    StompClientConnection first = broker.client();
    StompClientConnection second = broker.client();
    BlockingQueue<Frame> held = subscribe(first, "/queue/handover", Map.of("id", "h", "ack", "client-individual"));
    first.send("/queue/handover", Buffer.buffer("x")).await();
    next(held);
    BlockingQueue<Frame> other = subscribe(second, "/queue/handover", Map.of("ack", "client-individual"));
    first.unsubscribe("/queue/handover", headers("id", "h")).await();
    assertEquals("x", next(other).getBodyAsString());
  }

  private static BlockingQueue<Frame> subscribe(StompClientConnection client, String destination,
      Map<String, String> headers) {
    BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    client.subscribe(destination, new java.util.HashMap<>(headers), received::add).await();
    return received;
  }

  /** A mutable map: vertx-stomp's client adds its receipt header to the one it is given. */
  private static Map<String, String> headers(String... keyValues) {
    Map<String, String> headers = new java.util.HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      headers.put(keyValues[i], keyValues[i + 1]);
    }
    return headers;
  }

  private static Frame next(BlockingQueue<Frame> received) throws InterruptedException {
    Frame frame = received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
    assertNotNull(frame, "no frame within " + WAIT_MS + " ms");
    assertTrue(frame.getCommand() == io.vertx.ext.stomp.Command.MESSAGE, frame.toString());
    return frame;
  }
}
