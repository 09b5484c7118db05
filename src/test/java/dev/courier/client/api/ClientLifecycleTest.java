package dev.courier.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.courier.client.CourierClient;
import dev.courier.client.Delivery;
import dev.courier.client.PullConsumer;
import dev.courier.client.SubscribeOptions;
import dev.courier.embedded.CourierBroker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** nack (now and with a delay), touch and dead letters through the client API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private CourierBroker broker;
  private CourierClient client;

  @BeforeEach
  void start() {
    broker = CourierBroker.start(CourierBroker.memoryConfig().with(Map.of("ack_timeout_ms", 2_000)));
    client = CourierClient.connectAndWait(ApiBroker.options(broker).build());
  }

  @AfterEach
  void stop() {
    client.close();
    broker.close();
  }

  @Test
  void aNackedDeliveryComesBackWithTheNextAttempt() throws Exception {
    PullConsumer pull = client.pull("jobs", "g", SubscribeOptions.defaults()).await();
    client.producer().publishAndWait("jobs", "retry me");
    Delivery first = pull.receive(WAIT);
    first.nack().await();
    Delivery second = pull.receive(WAIT);
    assertNotNull(second, "not redelivered");
    assertEquals(first.id(), second.id());
    assertEquals(2, second.attempt());
    second.ack().await();
    ApiBroker.awaitStats(broker, "the ack", s -> s.acked() == 1);
  }

  @Test
  void aNackWithADelayComesBackAfterIt() throws Exception {
    PullConsumer pull = client.pull("jobs", "g", SubscribeOptions.defaults()).await();
    client.producer().publishAndWait("jobs", "later");
    Delivery first = pull.receive(WAIT);
    long nackedAt = System.nanoTime();
    first.nack(Duration.ofMillis(300)).await();
    Delivery second = pull.receive(WAIT);
    assertNotNull(second, "not redelivered after its delay");
    assertEquals(2, second.attempt());
    // Not before the delay: a lower bound holds however loaded the machine is.
    assertEquals(true, System.nanoTime() - nackedAt >= TimeUnit.MILLISECONDS.toNanos(300));
    second.ack().await();
  }

  @Test
  void aTouchedDeliveryIsStillOwnedAndAcks() throws Exception {
    PullConsumer pull = client.pull("jobs", "g", SubscribeOptions.defaults()).await();
    client.producer().publishAndWait("jobs", "slow");
    Delivery d = pull.receive(WAIT);
    d.touch().await();
    d.ack().await();
    ApiBroker.awaitStats(broker, "acked once, never redelivered", s -> s.acked() == 1 && s.redelivered() == 0);
  }

  @Test
  void aMessageWhoseHandlerAlwaysThrowsEndsAsADeadLetter() throws Exception {
    client.subscribe("orders", "fragile", SubscribeOptions.defaults().withDeadLetters(2, null), d -> {
      throw new IllegalStateException("always fails");
    }).await();
    client.producer().publishAndWait("orders", "poison");
    PullConsumer dead = client.pull("orders.dlq", "ops", SubscribeOptions.defaults()).await();
    Delivery d = dead.receive(WAIT);
    assertNotNull(d, "no dead letter");
    assertEquals("poison", d.payload());
    assertEquals("orders", d.headers().get("x-original-topic"));
    assertEquals("2", d.headers().get("x-attempts"));
    d.ack().await();
  }
}
