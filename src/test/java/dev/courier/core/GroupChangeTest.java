package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An operator's changes to one group (issue 15): purge, pause, resume; other groups untouched. */
class GroupChangeTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private final ManualClock clock = new ManualClock();
  private final Broker broker = new Broker(new DeliveryPolicy(TIMEOUT_NANOS, 10), clock);
  private final RecordingConsumer billing = new RecordingConsumer("billing");
  private final RecordingConsumer shipping = new RecordingConsumer("shipping");

  private void publish(String payload) {
    new RecordingPublisher(broker).publish("t", payload);
  }

  private GroupStats group(String name) {
    return broker.topicStats().get(0).groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void purgeDropsOnlyThisGroupsReadyMessagesAndTheNextPublishStillArrives() {
    Subscription held = broker.subscribe("t", "billing", false, 1, billing);
    broker.subscribe("t", "shipping", false, 10, shipping);
    publish("1");
    publish("2");
    publish("3");
    assertEquals(new GroupChange(GroupChange.Outcome.DONE, 2), broker.changeGroup("t", "billing", GroupChange.Action.PURGE));
    assertEquals(0, group("billing").ready());
    assertEquals(1, group("billing").inFlight(), "the delivery in flight stays");
    assertEquals(List.of(1L, 2L, 3L), shipping.ids(), "the other group has all of them");
    assertEquals(AckResult.ACKED, broker.ack(held, 1));
    publish("4");
    assertEquals(List.of(1L, 4L), billing.ids());
  }

  @Test
  void aPausedGroupDeliversNothingUntilResumedAndTimeoutsStillRequeue() {
    broker.subscribe("t", "billing", false, 10, billing);
    publish("1");
    broker.changeGroup("t", "billing", GroupChange.Action.PAUSE);
    assertEquals(Set.of("t/billing"), broker.pausedGroups());
    publish("2");
    clock.advanceNanos(TIMEOUT_NANOS);
    assertEquals(1, broker.expire(), "message 1 timed out while paused");
    assertEquals(List.of(1L), billing.ids(), "nothing delivered while paused");
    assertEquals(2, group("billing").ready());
    broker.changeGroup("t", "billing", GroupChange.Action.RESUME);
    assertEquals(List.of(1L, 1L, 2L), billing.ids());
    assertTrue(broker.pausedGroups().isEmpty());
  }

  @Test
  void changesToWhatDoesNotExistSaySo() {
    assertEquals(GroupChange.Outcome.UNKNOWN_TOPIC, broker.changeGroup("nope", "g", GroupChange.Action.PURGE).outcome());
    broker.subscribe("t", "billing", false, 10, billing);
    assertEquals(GroupChange.Outcome.UNKNOWN_GROUP, broker.changeGroup("t", "g", GroupChange.Action.PAUSE).outcome());
  }
}
