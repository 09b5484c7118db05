package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A new group starting at the earliest replays from storage what every group had acked already. */
class ReplayTest {
  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock);
  private final Broker broker = storage.broker(new BrokerRules(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 100),
      TopicLimits.UNBOUNDED, true, 1_000_000));

  private void publish(String payload) {
    storage.publish(broker, "t", payload);
  }

  private void answerLastLoad() {
    storage.answerLastLoad(broker);
  }

  private void consumeAndAckAll(String group) {
    RecordingConsumer consumer = new RecordingConsumer(group);
    Subscription[] subscription = new Subscription[1];
    consumer.onDeliver((c, m) -> {
      if (subscription[0] != null) {
        broker.ack(subscription[0], m.id());
      }
    });
    subscription[0] = broker.subscribe("t", group, false, 100, consumer);
    consumer.ids().forEach(id -> broker.ack(subscription[0], id));
  }

  @Test
  void aNewEarliestGroupReplaysAckedMessagesStorageKeptThenContinuesLive() {
    consumeAndAckAll("first");
    for (int i = 1; i <= 3; i++) {
      publish("m" + i);
    }
    assertEquals(4, broker.firstRetainedIds().get("t"), "all acked: memory holds nothing");

    RecordingConsumer late = new RecordingConsumer("late");
    broker.subscribe("t", "late", false, 100, late);
    assertEquals(List.of(), late.ids(), "nothing until storage answers");
    assertEquals("late", storage.lastLoad().group());
    assertEquals(1L, storage.lastLoad().fromId());
    assertEquals(1, broker.firstRetainedIds().get("t"), "retention keeps what the replay needs");

    answerLastLoad();
    assertEquals(List.of(1L, 2L, 3L), late.ids());
    publish("m4");
    assertEquals(List.of(1L, 2L, 3L, 4L), late.ids());
  }

  @Test
  void aReplayedMessageIsAckedRequeuedAndCheckpointedLikeAnyOther() {
    consumeAndAckAll("first");
    publish("a");
    publish("b");
    RecordingConsumer late = new RecordingConsumer("late");
    Subscription subscription = broker.subscribe("t", "late", false, 100, late);
    answerLastLoad();
    assertEquals(List.of(1L, 2L), late.ids());

    assertEquals(AckResult.ACKED, broker.ack(subscription, 1));
    GroupPosition position = broker.positions("t").stream().filter(p -> p.group().equals("late")).findFirst()
        .orElseThrow();
    assertEquals(List.of(new GroupPosition.PendingDelivery(2, 1)), position.pending());

    clock.advance(Duration.ofSeconds(6));
    assertEquals(1, broker.expire());
    assertEquals(new RecordingConsumer.Delivery(2, "b", 2), late.last());
    broker.ack(subscription, 2);
    assertEquals(3, broker.firstRetainedIds().get("t"));
  }

  @Test
  void aLatestGroupDoesNotReplay() {
    consumeAndAckAll("first");
    publish("old");
    RecordingConsumer late = new RecordingConsumer("late");
    broker.subscribe("t", "late", true, 100, late);
    publish("new");
    assertEquals(List.of(2L), late.ids());
    assertEquals(0, storage.loads().size());
  }

  @Test
  void storageHavingDeletedTheReplayRangeEndsTheReplay() {
    consumeAndAckAll("first");
    publish("gone");
    storage.loseEverything();
    RecordingConsumer late = new RecordingConsumer("late");
    broker.subscribe("t", "late", false, 100, late);
    answerLastLoad();
    publish("next");
    assertEquals(List.of(2L), late.ids());
  }
}
