package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages past a topic's memory budget stay in storage and come back through the pager. */
class PagingTest {
  private static final String PAYLOAD = "0123456789";
  /** What one of these messages counts against the budget while resident (152 bytes). */
  private static final long RESIDENT = ResidentSize.of(PAYLOAD, null, null);
  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock);
  private final Broker broker = budget(3 * RESIDENT);

  private Broker budget(long topicMemoryBytes) {
    return storage.broker(new BrokerRules(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 100),
        TopicLimits.UNBOUNDED, true, topicMemoryBytes));
  }

  private void publish(String payload) {
    storage.publish(broker, "t", payload);
  }

  private void answerLastLoad() {
    storage.answerLastLoad(broker);
  }

  @Test
  void messagesPastTheBudgetAreLoadedBackWhenTheirTurnComes() {
    for (int i = 0; i < 5; i++) {
      publish(PAYLOAD); // a budget of 3 such messages' estimated memory: 3 stay resident
    }
    RecordingConsumer consumer = new RecordingConsumer("c");
    broker.subscribe("t", "g", false, 100, consumer);

    assertEquals(List.of(1L, 2L, 3L), consumer.ids());
    assertEquals(1, storage.loads().size());
    assertEquals(4, storage.loads().get(0).fromId(), "the load starts at the first message not in memory");

    answerLastLoad();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), consumer.ids());
    assertEquals("0123456789", consumer.messages().get(4).payload());
  }

  @Test
  void aMessageStorageCannotReturnIsSkippedNotWaitedForForever() {
    for (int i = 0; i < 5; i++) {
      publish(PAYLOAD);
    }
    storage.lose(4);
    RecordingConsumer consumer = new RecordingConsumer("c");
    broker.subscribe("t", "g", false, 100, consumer);
    answerLastLoad();
    assertEquals(List.of(1L, 2L, 3L), consumer.ids(), "nothing loaded from 4 on: 4 is lost");
    answerLastLoad();
    assertEquals(List.of(1L, 2L, 3L, 5L), consumer.ids());
  }

  @Test
  void aRestoredTailOnDiskIsLoadedBeforeDelivery() {
    FakeStorage disk = new FakeStorage(clock);
    Broker restored = disk.broker(new BrokerRules(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 100),
        TopicLimits.UNBOUNDED, true, 1_000));
    Message first = new Message(7, "t", "a", null, null, false, 1);
    restored.restore(new RestoredTopic("t", 10, List.of(first), 8, new long[] {1, 1}, List.of(), 7));

    RecordingConsumer consumer = new RecordingConsumer("c");
    restored.subscribe("t", "g", false, 100, consumer);
    assertEquals(List.of(7L), consumer.ids());
    assertEquals(8, disk.loads().get(0).fromId());
    restored.loaded("t", null, 8, List.of(new Message(8, "t", "b", null, null, false, 2),
        new Message(9, "t", "c", null, null, false, 3)));
    assertEquals(List.of(7L, 8L, 9L), consumer.ids());
    assertEquals(10, restored.nextId("t"));
  }

  @Test
  void aGroupFarAheadDoesNotKeepWhatItLoadedInMemoryForALaggingGroup() {
    RecordingConsumer lagging = new RecordingConsumer("lagging");
    Subscription slow = broker.subscribe("t", "slow", false, 1, lagging);
    for (int i = 0; i < 9; i++) {
      publish(PAYLOAD); // 3 fit the budget, 6 are paged
    }
    RecordingConsumer ahead = new RecordingConsumer("ahead");
    Subscription[] fast = new Subscription[1];
    ahead.onDeliver((c, m) -> {
      if (fast[0] != null) {
        broker.ack(fast[0], m.id());
      }
    });
    fast[0] = broker.subscribe("t", "fast", false, 100, ahead);
    for (long id : List.copyOf(ahead.ids())) {
      broker.ack(fast[0], id); // delivered while subscribing, before fast[0] was known
    }
    while (ahead.ids().size() < 9) {
      answerLastLoad();
    }
    long resident = broker.topicStats().get(0).residentBytes();
    assertEquals(true, resident <= 4 * RESIDENT, "resident bytes after the fast group passed: " + resident);

    lagging.onDeliver((c, m) -> broker.ack(slow, m.id()));
    broker.ack(slow, 1);
    while (lagging.ids().size() < 9) {
      answerLastLoad();
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), lagging.ids());
    assertEquals(0, broker.topicStats().get(0).retainedMessages());
  }
}
