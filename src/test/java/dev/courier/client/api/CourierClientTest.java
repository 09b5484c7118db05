package dev.courier.client.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.ClientEvent;
import dev.courier.client.ClientOptions;
import dev.courier.client.Consumer;
import dev.courier.client.CourierClient;
import dev.courier.client.CourierException;
import dev.courier.client.Delivery;
import dev.courier.client.Producer;
import dev.courier.client.PublishRequest;
import dev.courier.client.PublishResult;
import dev.courier.client.PullConsumer;
import dev.courier.client.SubscribeOptions;
import dev.courier.embedded.CourierBroker;
import dev.courier.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The public client API against an embedded broker: one test per method and promise. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CourierClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private CourierBroker broker;
  private final List<CourierClient> clients = new ArrayList<>();

  @BeforeEach
  void startBroker() {
    broker = CourierBroker.start(CourierBroker.memoryConfig().with(Map.of("ack_timeout_ms", 500)));
  }

  @AfterEach
  void stopAll() {
    clients.forEach(CourierClient::close);
    if (broker != null) {
      broker.close();
    }
  }

  private CourierClient connect(ClientOptions options) {
    CourierClient client = CourierClient.connectAndWait(options);
    clients.add(client);
    return client;
  }

  @Test
  void anEmbeddedBrokerListensOnAPortOfItsOwnAndKeepsNoDataDirInMemory() {
    assertTrue(broker.port() > 0);
    assertNull(broker.dataDir());
    assertEquals("127.0.0.1", broker.host());
  }

  @Test
  void aPublishedMessageArrivesWithItsKeyHeadersAndBinaryPayload() throws Exception {
    CourierClient client = connect(ApiBroker.options(broker).build());
    byte[] bytes = {0, 1, 2, (byte) 0xff};
    PublishResult result = client.producer().publishAndWait(PublishRequest.to("orders").payload(bytes).key("k1")
        .header("b", "2").header("a", "1").build(), WAIT);
    assertNotNull(result);
    assertFalse(result.duplicate());
    PullConsumer pull = client.pull("orders", "billing", SubscribeOptions.defaults()).await();
    Delivery d = pull.receive(WAIT);
    assertNotNull(d, "no delivery");
    assertTrue(d.isBinary());
    assertArrayEquals(bytes, d.bytes());
    assertEquals("k1", d.key());
    assertEquals(List.of("b", "a"), new ArrayList<>(d.headers().keySet()), "headers keep their order");
    assertEquals("orders", d.topic());
    assertEquals(1, d.attempt());
    d.ack().await();
    ApiBroker.awaitStats(broker, "the ack", s -> s.acked() == 1);
  }

  @Test
  void aHandlerIsAutoAckedWhenItReturns() throws Exception {
    CourierClient client = connect(ApiBroker.options(broker).build());
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    client.subscribe("t", "g", (Delivery d) -> seen.add(d.payload())).await();
    client.producer().publishAndWait("t", "one");
    client.producer().publishAndWait("t", "two");
    ApiBroker.awaitStats(broker, "two acks", s -> s.acked() == 2 && s.inFlight() == 0);
    assertEquals(List.of("one", "two"), new ArrayList<>(seen));
  }

  @Test
  void everyGroupOfATopicGetsEveryMessage() throws Exception {
    CourierClient client = connect(ApiBroker.options(broker).build());
    ConcurrentLinkedQueue<String> a = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> b = new ConcurrentLinkedQueue<>();
    client.subscribe("fan", "a", d -> a.add(d.payload())).await();
    client.subscribe("fan", "b", d -> b.add(d.payload())).await();
    client.producer().publishAndWait("fan", "x");
    ApiBroker.await("both groups got it", () -> a.size() == 1 && b.size() == 1);
  }

  @Test
  void aHandlerThatThrowsGetsItsMessageAgainAndTheConsumerLives() throws Exception {
    CourierClient client = connect(ApiBroker.options(broker).build());
    ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
    Consumer consumer = client.subscribe("work", "w", d -> {
      if (d.payload().equals("bad") && d.attempt() == 1) {
        throw new IllegalStateException("first attempt fails");
      }
      handled.add(d.payload() + "#" + d.attempt());
    }).await();
    client.producer().publishAndWait("work", "bad");
    client.producer().publishAndWait("work", "good");
    // Redelivered by the broker's nack, or (a broker without nack) by its 500 ms ack timeout.
    // A nacked message goes back to the front: bad#2 may come before or after good#1.
    ApiBroker.await("the failed message came back and the next one was handled",
        () -> handled.contains("bad#2") && handled.contains("good#1"));
    assertTrue(handled.containsAll(java.util.List.of("bad#2", "good#1")), handled.toString());
    assertEquals(1, consumer.handlerFailures());
    assertTrue(consumer.isConnected());
  }

  @Test
  void aFullWindowRefusesAPublishAndAwaitRoomCompletesWhenAConfirmationFreesIt() throws Exception {
    broker.close();
    // A topic that holds one message and pauses its producer: confirmations stop until a consumer acks.
    broker = CourierBroker.start(CourierBroker.memoryConfig().with(Map.of("max_topic_messages", 1)));
    CourierClient client = connect(ApiBroker.options(broker).maxUnconfirmed(2).build());
    Producer producer = client.producer();
    producer.publish("t", "a").await();
    Future<PublishResult> b = producer.publish("t", "b");
    Future<PublishResult> c = producer.publish("t", "c");
    CourierException full = assertThrows(CourierException.class, () -> producer.publish("t", "d").await());
    assertEquals(CourierException.Reason.WINDOW_FULL, full.reason());
    Future<Void> room = producer.awaitRoom();
    assertFalse(room.isComplete(), "no room while two publishes are unconfirmed");
    assertEquals(2, producer.unconfirmed());
    PullConsumer pull = client.pull("t", "g", SubscribeOptions.defaults()).await();
    pull.receive(WAIT).ack().await();
    room.await(10, TimeUnit.SECONDS);
    b.await(10, TimeUnit.SECONDS);
    assertFalse(c.failed());
  }

  @Test
  void blockingCallsRefuseToRunOnAnEventLoop() throws Exception {
    CourierClient client = connect(ApiBroker.options(broker).build());
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    broker.vertx().runOnContext(v -> {
      try {
        client.producer().publishAndWait("t", "x");
        thrown.complete(null);
      } catch (Throwable e) {
        thrown.complete(e);
      }
    });
    assertTrue(thrown.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
  }

  @Test
  void aBrokerErrorFailsThePublishWithItsCode() {
    CourierClient client = connect(ApiBroker.options(broker).build());
    CourierException e = assertThrows(CourierException.class,
        () -> client.producer().publishAndWait("bad name!", "x"));
    assertEquals(CourierException.Reason.BROKER_ERROR, e.reason());
    assertEquals(ErrorCode.INVALID_NAME, e.code());
    assertNotNull(client.producer().publishAndWait("ok", "still publishes"));
  }

  @Test
  void connectFailsClearlyWhenNothingListens() {
    int port = broker.port();
    broker.close();
    broker = null;
    CourierException e = assertThrows(CourierException.class,
        () -> CourierClient.connectAndWait(ClientOptions.builder().port(port).build()));
    assertEquals(CourierException.Reason.CONNECT_FAILED, e.reason());
    assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
  }

  @Test
  void confirmedPublishesSurviveADurableRestartAndClientsResume(@TempDir Path dir) throws Exception {
    broker.close();
    broker = CourierBroker.start(CourierBroker.durableConfig(dir));
    int port = broker.port();
    ConcurrentLinkedQueue<ClientEvent> events = new ConcurrentLinkedQueue<>();
    CourierClient client = CourierClient.connectAndWait(ApiBroker.options(broker).build());
    clients.add(client);
    client.onEvent(events::add);
    ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    client.subscribe("d", "g", SubscribeOptions.defaults().withPrefetch(1), d -> received.add(d.payload())).await();
    for (int i = 0; i < 5; i++) {
      client.producer().publishAndWait("d", "before-" + i);
    }
    // Confirmed but not consumed by group g2: they must be on disk after the restart.
    for (int i = 0; i < 5; i++) {
      client.producer().publishAndWait("kept", "kept-" + i);
    }
    ApiBroker.await("five received", () -> received.size() == 5);

    broker.close();
    ApiBroker.await("both connections lost",
        () -> events.stream().filter(e -> e.type() == ClientEvent.Type.DISCONNECTED).count() == 2);
    // Not sent while there is no connection: it waits in the window and goes after the reconnect.
    Future<PublishResult> whileDown = client.producer().publish("d", "while-down");
    broker = CourierBroker.start(CourierBroker.durableConfig(dir).with(Map.of("port", port)));

    whileDown.await(10, TimeUnit.SECONDS);
    ApiBroker.await("the held publish reached the resumed consumer", () -> received.contains("while-down"));
    PullConsumer pull = client.pull("kept", "g2", SubscribeOptions.defaults()).await();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Delivery d = pull.receive(WAIT);
      assertNotNull(d, "confirmed message " + i + " lost");
      kept.add(d.payload());
      d.ack();
    }
    assertEquals(List.of("kept-0", "kept-1", "kept-2", "kept-3", "kept-4"), kept);
    assertTrue(events.stream().anyMatch(e -> e.type() == ClientEvent.Type.RECONNECTING && e.delayMs() <= 200));
    // Events were watched from after the producer's first connect, before the consumer's.
    assertEquals(1, connects(events, "producer"), events.toString());
    assertEquals(2, connects(events, "consumer d/g"), events.toString());
  }

  private static long connects(ConcurrentLinkedQueue<ClientEvent> events, String connection) {
    return events.stream().filter(e -> e.type() == ClientEvent.Type.CONNECTED && e.connection().equals(connection))
        .count();
  }

  @Test
  void anUnconfirmedPublishFailsAsConnectionLostWhenTheBrokerGoes() throws Exception {
    broker.close();
    broker = CourierBroker.start(CourierBroker.memoryConfig().with(Map.of("max_topic_messages", 1)));
    CourierClient client = connect(ApiBroker.options(broker).reconnect(false).build());
    client.producer().publish("t", "a").await();
    Future<PublishResult> held = client.producer().publish("t", "b"); // the full topic holds it unconfirmed
    Promise<Void> lost = Promise.promise();
    held.onFailure(e -> lost.tryComplete());
    broker.close();
    broker = null;
    lost.future().await(10, TimeUnit.SECONDS);
    CourierException e = (CourierException) held.cause();
    assertTrue(e.reason() == CourierException.Reason.CONNECTION_LOST || e.reason() == CourierException.Reason.CLOSED,
        e.toString());
    CourierException after = assertThrows(CourierException.class, () -> client.producer().publish("t", "c").await());
    assertEquals(CourierException.Reason.CLOSED, after.reason(), "no reconnect: the producer says it is closed");
  }

  @Test
  void aPullReceiveTimesOutWithNullWhenNothingComes() throws Exception {
    CourierClient client = connect(ApiBroker.options(broker).build());
    PullConsumer pull = client.pull("empty", "g", SubscribeOptions.defaults()).await();
    assertNull(pull.receive(Duration.ofMillis(50)));
    client.producer().publishAndWait("empty", "now");
    Delivery d = pull.receive(WAIT);
    assertEquals("now", new String(d.bytes(), StandardCharsets.UTF_8));
  }
}
