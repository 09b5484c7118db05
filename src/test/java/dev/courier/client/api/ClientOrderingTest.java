package dev.courier.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.CourierClient;
import dev.courier.client.Delivery;
import dev.courier.client.PublishRequest;
import dev.courier.client.PullConsumer;
import dev.courier.client.SubscribeOptions;
import dev.courier.embedded.CourierBroker;
import dev.courier.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A group's ordering asked for through SubscribeOptions, and a delivery saying it is the active one. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientOrderingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private CourierBroker broker;
  private CourierClient client;

  @BeforeEach
  void start() {
    broker = CourierBroker.start(CourierBroker.memoryConfig());
    client = CourierClient.connectAndWait(ApiBroker.options(broker).build());
  }

  @AfterEach
  void stop() {
    client.close();
    broker.close();
  }

  private void publish(String key, String payload) {
    client.producer().publishAndWait(PublishRequest.to("orders").key(key).payload(payload).build(), WAIT);
  }

  @Test
  void aKeyOrderedGroupHoldsAKeysNextMessageUntilTheFirstIsAckedButNotOtherKeys() throws Exception {
    PullConsumer pull = client.pull("orders", "billing",
        SubscribeOptions.defaults().withPrefetch(10).withOrdering(Frame.Ordering.KEY)).await();
    publish("alice", "a1");
    publish("alice", "a2");
    publish("bob", "b1");

    Delivery first = pull.receive(WAIT);
    Delivery second = pull.receive(WAIT);
    assertNotNull(second, "bob's message waits behind alice's");
    assertEquals("a1", first.payload());
    assertEquals("b1", second.payload(), "alice's second message came while her first was unacked");
    assertFalse(first.isActive(), "only a single group's deliveries say active");

    first.ack().await();
    Delivery third = pull.receive(WAIT);
    assertNotNull(third, "alice's second message never came after her first was acked");
    assertEquals("a2", third.payload());
  }

  @Test
  void aSingleGroupsStandbyTakesOverTheUnackedMessageAndIsToldItIsActive() throws Exception {
    SubscribeOptions single = SubscribeOptions.defaults().withAutoAck(false).withOrdering(Frame.Ordering.SINGLE);
    PullConsumer active = client.pull("orders", "audit", single).await();
    CourierClient other = CourierClient.connectAndWait(ApiBroker.options(broker).build());
    try {
      PullConsumer standby = other.pull("orders", "audit", single).await();
      publish(null, "m1");
      Delivery first = active.receive(WAIT);
      assertNotNull(first, "the first consumer of a single group is not active");
      assertEquals("m1", first.payload());
      assertTrue(first.isActive());

      active.close().await();
      Delivery takenOver = standby.receive(WAIT);
      assertNotNull(takenOver, "the standby did not take over");
      assertEquals(first.id(), takenOver.id(), "the unacked message comes to the new active consumer first");
      assertTrue(takenOver.isActive());
    } finally {
      other.close();
    }
  }
}
