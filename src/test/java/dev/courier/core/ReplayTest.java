package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new group starting at the earliest replays from storage what every group had acked already. */
class ReplayTest {
  private final ManualClock clock = new ManualClock();
  private final Map<Long, Message> disk = new HashMap<>();
  private final List<Object[]> loads = new ArrayList<>();
  private final Broker broker = new Broker(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 100),
      TopicLimits.UNBOUNDED, true, clock);

  ReplayTest() {
    broker.usePager((topic, group, fromId, max, bytes) -> loads.add(new Object[] {group, fromId, max}), 1_000_000);
  }

  private void publish(String payload) {
    Publication publication = Publication.of("t", payload);
    broker.admit(publication);
    long id = broker.nextId("t");
    disk.put(id, broker.commit(publication, id, clock.wallMillis()));
  }

  private void answerLastLoad() {
    Object[] load = loads.get(loads.size() - 1);
    long from = (Long) load[1];
    List<Message> messages = new ArrayList<>();
    for (long id = from; id < from + (Integer) load[2] && disk.containsKey(id); id++) {
      messages.add(disk.get(id));
    }
    broker.loaded("t", (String) load[0], from, messages);
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
    assertEquals("late", loads.get(loads.size() - 1)[0]);
    assertEquals(1L, loads.get(loads.size() - 1)[1]);
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
    assertEquals(0, loads.size());
  }

  @Test
  void storageHavingDeletedTheReplayRangeEndsTheReplay() {
    consumeAndAckAll("first");
    publish("gone");
    disk.clear();
    RecordingConsumer late = new RecordingConsumer("late");
    broker.subscribe("t", "late", false, 100, late);
    answerLastLoad();
    publish("next");
    assertEquals(List.of(2L), late.ids());
  }
}
