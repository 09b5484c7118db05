package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deleting a group (issue 15): refused with consumers, journaled, frees what only it held. */
class GroupDeleteTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock, false);
  private final Broker broker = storage.broker(new BrokerRules(new DeliveryPolicy(TIMEOUT_NANOS, 10, 0),
      TopicLimits.UNBOUNDED, true, Long.MAX_VALUE));
  private final RecordingConsumer billing = new RecordingConsumer("billing");
  private final RecordingConsumer shipping = new RecordingConsumer("shipping");

  private void publish(String payload) {
    new RecordingPublisher(broker).publish("t", payload);
  }

  private TopicStats topic() {
    return broker.topicStats().get(0);
  }

  @Test
  void aGroupWithConsumersIsNotDeleted() {
    broker.subscribe("t", "billing", false, 10, billing);
    publish("1");
    assertEquals(GroupChange.Outcome.HAS_CONSUMERS, broker.deleteGroup("t", "billing").outcome());
    assertEquals(1, topic().groups().size());
    assertEquals(List.of(1L), billing.ids());
  }

  @Test
  void aDeletedGroupIsJournaledAndWhatOnlyItHeldIsFreed() {
    Subscription slow = broker.subscribe("t", "billing", false, 1, billing);
    Subscription fast = broker.subscribe("t", "shipping", false, 10, shipping);
    publish("1");
    publish("2");
    publish("3");
    for (long id : shipping.ids()) {
      broker.ack(fast, id);
    }
    // billing holds 1 in flight, 2 ready and 3 ready; a nack with a delay puts 1 among the later retries.
    assertEquals(AckResult.ACKED, broker.nack(slow, 1, 60_000));
    broker.unsubscribe(slow);
    assertEquals(3, topic().retainedMessages(), "only billing still needs them");

    assertEquals(new GroupChange(GroupChange.Outcome.DONE, 2), broker.deleteGroup("t", "billing"));
    assertEquals(List.of("shipping"), topic().groups().stream().map(GroupStats::name).toList());
    assertEquals(0, topic().retainedMessages(), "nothing left that a group needs");
    assertTrue(storage.journal().contains("deleted billing"), storage.journal().toString());
    clock.advanceNanos(Duration.ofMinutes(2).toNanos());
    broker.expire();
    assertEquals(List.of(2L), billing.ids().subList(billing.ids().size() - 1, billing.ids().size()),
        "the delayed retry never comes back to the gone group's old consumer");
    assertEquals(GroupChange.Outcome.UNKNOWN_GROUP, broker.deleteGroup("t", "billing").outcome());
    assertEquals(GroupChange.Outcome.UNKNOWN_TOPIC, broker.deleteGroup("nope", "billing").outcome());
  }

  @Test
  void aGroupOfTheSameNameCreatedLaterStartsAfresh() {
    broker.subscribe("t", "shipping", false, 10, shipping);
    Subscription first = broker.subscribe("t", "billing", false, 10, billing);
    publish("1");
    broker.unsubscribe(first);
    broker.deleteGroup("t", "billing");
    RecordingConsumer again = new RecordingConsumer("again");
    broker.subscribe("t", "billing", true, 10, again);
    publish("2");
    assertEquals(List.of(2L), again.ids(), "from the latest: message 1 is not waiting for it");
  }

  @Test
  void aReplayForgetsADeletedGroupAndTakesOneCreatedAfterIt() {
    JournalReplay replay = new JournalReplay(List.of(new GroupPosition("g", 4, List.of(), java.util.Set.of())));
    replay.acked("g", 5);
    replay.groupDeleted("g");
    assertEquals(List.of(), replay.positions());
    replay.groupCreated("g", 9);
    assertEquals(List.of(new GroupPosition("g", 9, List.of(), java.util.Set.of())), replay.positions());
  }
}
