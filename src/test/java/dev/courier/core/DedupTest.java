package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dedup_id: a second publish with the same id on the same topic within the window is not stored again. */
class DedupTest {
  private static final long WINDOW_MILLIS = 10_000;

  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock);
  private final Broker broker = storage.broker(new BrokerRules(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 10),
      TopicLimits.UNBOUNDED, true, Long.MAX_VALUE, WINDOW_MILLIS));
  private final RecordingPublisher producer = new RecordingPublisher(broker);

  private static Publication keyed(String topic, String payload, String dedupId) {
    return new Publication(topic, payload, null, null, false, dedupId);
  }

  @Test
  void aSecondPublishWithTheSameDedupIdInsideTheWindowGetsTheFirstIdAndIsNotStoredOrDeliveredAgain() {
    RecordingConsumer worker = new RecordingConsumer("worker");
    broker.subscribe("t", "g", false, 10, worker);
    producer.publish(keyed("t", "first", "order-7"));
    clock.advance(Duration.ofMillis(WINDOW_MILLIS - 1));
    producer.publish(keyed("t", "again", "order-7"));

    assertEquals(List.of("stored 1", "duplicate of 1"), producer.events());
    assertEquals(2, broker.nextId("t"), "the duplicate took no id");
    assertEquals(List.of(1L), worker.ids());
  }

  @Test
  void theSameDedupIdAfterTheWindowOrOnAnotherTopicIsANewMessage() {
    producer.publish(keyed("t", "first", "k"));
    producer.publish(keyed("u", "other topic", "k"));
    clock.advance(Duration.ofMillis(WINDOW_MILLIS));
    producer.publish(keyed("t", "after the window", "k"));
    producer.publish(keyed("t", "inside the new window", "k"));

    assertEquals(List.of("stored 1", "stored 1", "stored 2", "duplicate of 2"), producer.events());
  }

  @Test
  void aDuplicateOfAPublishStillOnItsWayToStorageGetsItsIdOnceStoredAndItsRefusalIfRefused() {
    storage.holdAppends();
    RecordingPublisher other = new RecordingPublisher(broker);
    producer.publish(keyed("t", "first", "a"));
    other.publish(keyed("t", "retry from another connection", "a"));
    assertEquals(List.of(), other.events(), "nothing is known yet");
    storage.storeNext();
    assertEquals(List.of("stored 1"), producer.events());
    assertEquals(List.of("duplicate of 1"), other.events());

    producer.publish(keyed("t", "second", "b"));
    other.publish(keyed("t", "its retry", "b"));
    storage.failNext("disk full");
    assertEquals(List.of("refused STORAGE_FAILED"), other.events().subList(1, 2));
    storage.holdAppends();
    producer.publish(keyed("t", "a refused key is free again", "b"));
    storage.storeNext();
    assertEquals("stored 2", producer.events().get(producer.events().size() - 1));
  }

  @Test
  void pastTheCapTheOldestKeysGoFirst() {
    for (int i = 0; i <= DedupWindow.MAX_KEYS_PER_TOPIC; i++) {
      producer.publish(keyed("t", "p", "key-" + i));
    }
    producer.publish(keyed("t", "the newest is kept", "key-" + DedupWindow.MAX_KEYS_PER_TOPIC));
    producer.publish(keyed("t", "the oldest is gone", "key-0"));

    List<String> events = producer.events();
    long last = DedupWindow.MAX_KEYS_PER_TOPIC + 1L;
    assertEquals(List.of("duplicate of " + last, "stored " + (last + 1)), events.subList(events.size() - 2, events.size()));
  }

  @Test
  void aRestoredTopicKeepsTheDedupKeysStorageHandsBackWithTheirStoreTimes() {
    FakeStorage restarted = new FakeStorage(clock);
    Broker broker = restarted.broker(new BrokerRules(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 10),
        TopicLimits.UNBOUNDED, true, Long.MAX_VALUE, WINDOW_MILLIS));
    long now = clock.wallMillis();
    broker.restore(new RestoredTopic("t", 3, List.of(), 3, new long[0], List.of(), 3,
        List.of(new DedupKey("old", 1, now - WINDOW_MILLIS), new DedupKey("recent", 2, now - 1))));
    RecordingPublisher producer = new RecordingPublisher(broker);
    producer.publish(keyed("t", "p", "recent"));
    producer.publish(keyed("t", "p", "old"));

    assertEquals(List.of("duplicate of 2", "stored 3"), producer.events());
  }

  @Test
  void theCheckpointGetsTheStoredKeysStillInsideTheWindowOldestFirst() {
    long start = clock.wallMillis();
    producer.publish(keyed("t", "p", "old"));
    clock.advance(Duration.ofMillis(WINDOW_MILLIS / 2));
    producer.publish(keyed("t", "p", "recent"));
    storage.holdAppends();
    producer.publish(keyed("t", "p", "on its way to storage"));
    clock.advance(Duration.ofMillis(WINDOW_MILLIS / 2));

    assertEquals(List.of(new DedupKey("recent", 2, start + WINDOW_MILLIS / 2)), broker.dedupKeys("t"));
    assertEquals(List.of(), broker.dedupKeys("no such topic"));
  }
}
