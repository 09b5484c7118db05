package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group created with ordering single, on the manual clock: the consumer registered first gets
 * everything in order, the others get nothing until it leaves, and the next one then takes over
 * at once with the unacked messages first, in id order.
 */
class SingleActiveTest {
  private static final GroupSettings SINGLE = new GroupSettings(null, null, Ordering.SINGLE);

  private final ManualClock clock = new ManualClock();
  private final Broker broker = new Broker(new BrokerRules(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 10),
      TopicLimits.UNBOUNDED, true, Long.MAX_VALUE), clock, null);
  private final RecordingConsumer active = new RecordingConsumer("active");
  private final RecordingConsumer standby = new RecordingConsumer("standby");
  private final RecordingConsumer last = new RecordingConsumer("last");

  private void publish(int count) {
    RecordingPublisher publisher = new RecordingPublisher(broker);
    for (int i = 0; i < count; i++) {
      publisher.publish("t", "m" + i);
    }
  }

  private OrderingStats ordering() {
    return broker.topicStats().get(0).groups().get(0).ordering();
  }

  @Test
  void theFirstConsumerGetsEverythingAndTheNextTakesOverWithTheUnackedFirstInOrder() {
    Subscription first = broker.subscribe("t", "g", false, 3, SINGLE, active);
    broker.subscribe("t", "g", false, 10, standby);
    broker.subscribe("t", "g", false, 10, last);
    publish(5);
    assertEquals(List.of(1L, 2L, 3L), active.ids(), "its credit's worth");
    assertEquals(List.of(), standby.ids(), "a standby gets nothing, though it has credit");
    assertEquals("active", ordering().activeConsumer());
    broker.ack(first, 1);
    assertEquals(List.of(1L, 2L, 3L, 4L), active.ids());

    broker.unsubscribe(first);
    assertEquals(List.of(2L, 3L, 4L, 5L), standby.ids(), "its unacked first, in order, then the rest");
    assertEquals(2, standby.deliveries().get(0).attempt());
    assertEquals(List.of(), last.ids());
    assertEquals("standby", ordering().activeConsumer());
  }

  @Test
  void aStandbyGetsNothingWhileTheActiveConsumerIsFullOrBackedUp() {
    Subscription first = broker.subscribe("t", "g", false, 1, SINGLE, active);
    broker.subscribe("t", "g", false, 10, standby);
    active.setCanAccept(false);
    publish(2);
    assertEquals(List.of(), active.ids());
    assertEquals(List.of(), standby.ids(), "waits for the active one's socket rather than passing it over");
    active.setCanAccept(true);
    broker.consumerWritable(first);
    assertEquals(List.of(1L), active.ids());
    assertEquals(List.of(), standby.ids());
  }

  @Test
  void aTimedOutDeliveryComesBackToTheActiveConsumerBeforeNewerOnes() {
    broker.subscribe("t", "g", false, 1, SINGLE, active);
    broker.subscribe("t", "g", false, 10, standby);
    publish(2);
    clock.advance(Duration.ofSeconds(5));
    broker.expire();
    assertEquals(List.of(1L, 1L), active.ids(), "again to the active one, not to the standby");
    assertEquals(List.of(), standby.ids());
  }
}
