package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In-flight deliveries of every group share one deadline heap: the sweep requeues exactly the
 * due ones wherever they are, an ack takes its delivery out of the heap, and a nack gives one back
 * at once.
 */
class InFlightTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private final ManualClock clock = new ManualClock();
  private final Broker broker = new Broker(new DeliveryPolicy(TIMEOUT_NANOS, 10), clock);
  private final RecordingConsumer first = new RecordingConsumer("first");
  private final RecordingConsumer second = new RecordingConsumer("second");

  private void publish(String topic, String payload) {
    new RecordingPublisher(broker).publish(topic, payload);
  }

  @Test
  void theSweepRequeuesOnlyTheDeliveriesDueAcrossGroupsAndTopics() {
    Subscription early = broker.subscribe("a", "g", false, 10, first);
    publish("a", "early");
    clock.advance(Duration.ofSeconds(2));
    Subscription late = broker.subscribe("b", "h", false, 10, second);
    publish("b", "late");
    assertEquals(Duration.ofSeconds(3).toNanos(), broker.nanosUntilNextDeadline(), "the earliest of both");

    clock.advance(Duration.ofSeconds(3));
    assertEquals(1, broker.expire(), "only the early delivery is due");
    assertEquals(List.of(1, 2), first.deliveries().stream().map(RecordingConsumer.Delivery::attempt).toList());
    assertEquals(1, second.deliveries().size());
    assertEquals(Duration.ofSeconds(2).toNanos(), broker.nanosUntilNextDeadline(), "now the late one is first");
    assertEquals(AckResult.ACKED, broker.ack(late, 1));
    assertEquals(TIMEOUT_NANOS, broker.nanosUntilNextDeadline(), "the redelivery's deadline is all that is left");
    assertEquals(AckResult.ACKED, broker.ack(early, 1));
    assertEquals(-1, broker.nanosUntilNextDeadline());
  }

  @Test
  void anAckedDeliveryNeverExpires() {
    Subscription subscription = broker.subscribe("t", "g", false, 10, first);
    publish("t", "1");
    publish("t", "2");
    assertEquals(AckResult.ACKED, broker.ack(subscription, 1));
    clock.advanceNanos(TIMEOUT_NANOS);
    assertEquals(1, broker.expire());
    assertEquals(List.of(1L, 2L, 2L), first.ids());
  }

  @Test
  void aNackedMessageGoesBackToTheFrontAndToAnotherConsumer() {
    Subscription holder = broker.subscribe("t", "g", false, 1, first);
    broker.subscribe("t", "g", false, 1, second);
    publish("t", "1");
    publish("t", "2");
    publish("t", "3");
    assertEquals(List.of(1L), first.ids());
    assertEquals(List.of(2L), second.ids());

    assertEquals(AckResult.ACKED, broker.nack(holder, 1));
    assertEquals(List.of(1L, 1L), first.ids(), "first is the only one with credit: it gets 1 again, before 3");
    assertEquals(2, first.last().attempt());
    assertEquals(2, broker.stats().inFlight(), "one each in flight");
  }

  @Test
  void aNackByAnotherConsumerOrForAnUnknownIdChangesNothing() {
    broker.subscribe("t", "g", false, 10, first);
    Subscription other = broker.subscribe("t", "g", false, 10, second);
    publish("t", "1");
    assertEquals(AckResult.NOT_OWNER, broker.nack(other, 1));
    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.nack(other, 99));
    assertEquals(List.of(1L), first.ids());
    assertEquals(1, broker.stats().inFlight());
  }
}
