package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A restart whose log lost its newest segment continues ids far past the last restored message
 * (storage never reuses an id). The topic takes that jump without a slot per skipped id, delivers
 * nothing twice and nothing lost, and counts the skipped ids nowhere.
 */
class RestoreGapTest {
  private static final long JUMP_TO = 1_000_004;

  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock);
  private final Broker broker = new Broker(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 100),
      new TopicLimits(10, 1 << 20, TopicLimits.Overflow.REJECT), true, clock);

  private static Message message(long id) {
    return new Message(id, "t", "m" + id, null, null, false, id);
  }

  private GroupStats group(String name) {
    return broker.topicStats().get(0).groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void messagesBeforeTheJumpThenNewOnesAfterItAreEachDeliveredOnce() {
    broker.restore(new RestoredTopic("t", JUMP_TO, List.of(message(1), message(2), message(3)), JUMP_TO, new long[0],
        List.of(new GroupPosition("g", 1, List.of(), Set.of())), 1));
    assertEquals(3, group("g").ready(), "the skipped ids are not ready messages");
    assertEquals(3, broker.topicStats().get(0).retainedMessages());
    assertFalse(broker.topicStats().get(0).full(), "the skipped ids do not count against max_topic_messages");
    assertEquals(JUMP_TO, broker.nextId("t"));

    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 100, consumer);
    assertEquals(List.of(1L, 2L, 3L), consumer.ids());
    storage.publish(broker, "t", "after");
    assertEquals(List.of(1L, 2L, 3L, JUMP_TO), consumer.ids());
    assertEquals("after", consumer.messages().get(3).payload());

    for (long id : List.of(1L, 2L, 3L, JUMP_TO)) {
      assertEquals(AckResult.ACKED, broker.ack(subscription, id));
    }
    assertEquals(0, broker.topicStats().get(0).retainedMessages());
    storage.publish(broker, "t", "next");
    assertEquals(List.of(1L, 2L, 3L, JUMP_TO, JUMP_TO + 1), consumer.ids());
  }

  @Test
  void aGroupThatStoodInsideTheLostRangeGetsOnlyTheMessagesAfterTheJump() {
    // The group had reached id 500 in the lost segment; the log now ends at 3.
    broker.restore(new RestoredTopic("t", JUMP_TO, List.of(message(1), message(2), message(3)), JUMP_TO, new long[0],
        List.of(new GroupPosition("behind", 1, List.of(), Set.of()),
            new GroupPosition("inside", 500, List.of(new GroupPosition.PendingDelivery(499, 1)), Set.of())), 1));
    assertEquals(0, group("inside").ready());

    RecordingConsumer inside = new RecordingConsumer("inside");
    broker.subscribe("t", "inside", false, 100, inside);
    assertEquals(List.of(), inside.ids(), "its pending id 499 and ids up to the jump are lost, not redelivered");
    storage.publish(broker, "t", "after");
    assertEquals(List.of(JUMP_TO), inside.ids());

    RecordingConsumer behind = new RecordingConsumer("behind");
    broker.subscribe("t", "behind", false, 100, behind);
    assertEquals(List.of(1L, 2L, 3L, JUMP_TO), behind.ids());
  }

  @Test
  void aNewGroupCreatedFromTheEarliestPassesOverTheJump() {
    broker.restore(new RestoredTopic("t", JUMP_TO, List.of(message(1), message(2)), JUMP_TO, new long[0],
        List.of(new GroupPosition("g", 1, List.of(), Set.of())), 1));
    storage.publish(broker, "t", "after");
    RecordingConsumer fresh = new RecordingConsumer("fresh");
    broker.subscribe("t", "fresh", false, 100, fresh);
    assertEquals(List.of(1L, 2L, JUMP_TO), fresh.ids());
  }
}
