package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group created with ordering key, on the manual clock: one message of a key at a time, in
 * publish order, over two consumers; a nack, a timeout, a delayed retry or a consumer's death
 * holds back only that key; dead-lettering and expiry release it; keys are forgotten when done.
 */
class KeyOrderTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();
  static final GroupSettings KEY = new GroupSettings(null, null, Ordering.KEY);

  private final ManualClock clock = new ManualClock();
  private Broker broker = new Broker(rules(3), clock, null);
  private final RecordingConsumer first = new RecordingConsumer("first");
  private final RecordingConsumer second = new RecordingConsumer("second");
  private final RecordingConsumer dlq = new RecordingConsumer("dlq");

  private static BrokerRules rules(int maxDeliveries) {
    return new BrokerRules(new DeliveryPolicy(TIMEOUT_NANOS, 10, maxDeliveries), TopicLimits.UNBOUNDED, true,
        Long.MAX_VALUE);
  }

  /** Publishes payloads "a1", "b1", ...: the key is the payload's first letter, "-" for none. */
  private void publish(String... payloads) {
    RecordingPublisher publisher = new RecordingPublisher(broker);
    for (String payload : payloads) {
      String key = payload.startsWith("-") ? null : payload.substring(0, 1);
      publisher.publish(new Publication("t", payload, key, null, false));
    }
  }

  private static List<String> payloads(RecordingConsumer consumer) {
    return consumer.deliveries().stream().map(RecordingConsumer.Delivery::payload).toList();
  }

  private long idOf(RecordingConsumer consumer, String payload) {
    return consumer.deliveries().stream().filter(d -> d.payload().equals(payload)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError(payload + " not delivered to " + consumer)).id();
  }

  private OrderingStats ordering() {
    return broker.topicStats().stream().filter(t -> t.name().equals("t")).findFirst().orElseThrow()
        .groups().get(0).ordering();
  }

  @Test
  void twoConsumersGetKeysInParallelButOneMessageOfAKeyAtATimeInPublishOrder() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    Subscription two = broker.subscribe("t", "g", false, 10, KEY, second);
    publish("a1", "b1", "a2", "c1", "b2", "a3");
    assertEquals(List.of("a1", "c1"), payloads(first), "a2 waits for a1; c1 flows on");
    assertEquals(List.of("b1"), payloads(second), "b2 waits for b1");

    broker.ack(one, idOf(first, "a1"));
    assertEquals(List.of("a1", "c1"), payloads(first));
    assertEquals(List.of("b1", "a2"), payloads(second), "a2 once a1 is acked, to whoever has credit");
    broker.ack(two, idOf(second, "b1"));
    assertEquals(List.of("a1", "c1", "b2"), payloads(first));
    broker.ack(two, idOf(second, "a2"));
    assertEquals(List.of("b1", "a2", "a3"), payloads(second));
    broker.ack(one, idOf(first, "b2"));
    broker.ack(two, idOf(second, "a3"));
    broker.ack(one, idOf(first, "c1"));
    assertEquals(0L, ordering().keysInFlight(), "every key is done: none is remembered");
  }

  @Test
  void aNackHoldsBackOnlyItsKeyAndItsRetryComesBeforeTheKeysNextMessage() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    publish("a1", "a2", "b1");
    assertEquals(List.of("a1", "b1"), payloads(first));
    broker.nack(one, idOf(first, "a1"), 0);
    assertEquals(List.of("a1", "b1", "a1"), payloads(first), "a1 again, not a2");
    publish("b2");
    broker.ack(one, idOf(first, "b1"));
    assertEquals(List.of("a1", "b1", "a1", "b2"), payloads(first), "b flows while a waits");
    broker.ack(one, idOf(first, "a1"));
    assertEquals(List.of("a1", "b1", "a1", "b2", "a2"), payloads(first));
  }

  @Test
  void aTimeoutHoldsBackOnlyItsKeyAndTheRetryGoesToTheOtherConsumer() {
    broker.subscribe("t", "g", false, 10, KEY, first);
    Subscription two = broker.subscribe("t", "g", false, 10, KEY, second);
    publish("a1", "a2");
    clock.advance(Duration.ofSeconds(1));
    publish("b1");
    assertEquals(List.of("a1"), payloads(first));
    assertEquals(List.of("b1"), payloads(second));
    clock.advance(Duration.ofSeconds(4));
    assertEquals(1, broker.expire(), "a1 timed out, b1 not yet");
    assertEquals(List.of("b1", "a1"), payloads(second), "a1 again, to the other consumer; a2 still waits");
    broker.ack(two, idOf(second, "a1"));
    assertEquals(List.of("a1", "a2"), payloads(first));
  }

  @Test
  void aDelayedRetryKeepsItsKeyWaitingUntilItIsAcked() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    publish("a1", "a2", "b1");
    broker.nack(one, idOf(first, "a1"), 2_000);
    publish("b2");
    broker.ack(one, idOf(first, "b1"));
    assertEquals(List.of("a1", "b1", "b2"), payloads(first), "a2 waits through a1's delay; b goes on");
    clock.advance(Duration.ofSeconds(2));
    broker.expire();
    assertEquals(List.of("a1", "b1", "b2", "a1"), payloads(first));
    broker.ack(one, idOf(first, "a1"));
    assertEquals("a2", first.last().payload());
  }

  @Test
  void aConsumerThatDiesHandsItsKeysHeadsBackBeforeTheirNextMessages() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    publish("a1", "a2", "b1", "b2");
    broker.unsubscribe(one);
    broker.subscribe("t", "g", false, 10, KEY, second);
    assertEquals(List.of("a1", "b1"), payloads(second), "the heads again, their followers still waiting");
    assertEquals(2, second.deliveries().get(0).attempt());
  }

  @Test
  void deadLetteringAMessageReleasesItsKey() {
    broker = new Broker(rules(2), clock, null);
    broker.subscribe("t.dlq", "ops", false, 10, dlq);
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    publish("a1", "a2");
    broker.nack(one, idOf(first, "a1"), 0);
    broker.nack(one, idOf(first, "a1"), 0);
    assertEquals(List.of("a1"), payloads(dlq), "its second failure dead-letters it");
    assertEquals(List.of("a1", "a1", "a2"), payloads(first), "and the key goes on");
  }

  @Test
  void anExpiredMessageReleasesItsKey() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    RecordingPublisher publisher = new RecordingPublisher(broker);
    publisher.publish(new Publication("t", "a1", "a", null, false, null, 1_000));
    publish("a2");
    clock.advance(Duration.ofSeconds(2));
    broker.nack(one, idOf(first, "a1"), 0);
    assertEquals(List.of("a1", "a2"), payloads(first), "a1's ttl passed: dropped, and a2 is next");
  }

  @Test
  void aDelayedPublishTakesItsPlaceInItsKeysOrderWhenItIsDue() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    new RecordingPublisher(broker).publish(new Publication("t", "a1", "a", null, false, null, 0, 1_000, 0));
    publish("a2", "a3");
    assertEquals(List.of("a2"), payloads(first), "a1 is not due: a2 goes, a3 waits behind it");
    clock.advance(Duration.ofSeconds(1));
    broker.expire();
    assertEquals(List.of("a2"), payloads(first), "a1 is due, and waits for a2 like any message of its key");
    broker.ack(one, idOf(first, "a2"));
    assertEquals(List.of("a2", "a1"), payloads(first), "then a1, before a3: id order among those waiting");
    broker.ack(one, idOf(first, "a1"));
    assertEquals(List.of("a2", "a1", "a3"), payloads(first));
  }

  @Test
  void messagesWithoutAKeyAreNotHeldBack() {
    broker.subscribe("t", "g", false, 10, KEY, first);
    publish("-1", "-2", "a1", "a2", "-3");
    assertEquals(List.of("-1", "-2", "a1", "-3"), payloads(first));
    assertEquals(List.of("a"), ordering().blockedKeySamples(), "only a keyed message waits");
  }

  @Test
  void theStatsNameTheKeysBlockedBehindAnUnackedMessage() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    publish("a1", "a2", "a3", "b1", "c1", "c2");
    OrderingStats stats = ordering();
    assertEquals("key", stats.mode());
    assertEquals(2L, stats.blockedKeys(), "a and c; b has nothing waiting");
    assertEquals(List.of("a", "c"), stats.blockedKeySamples().stream().sorted().toList());
    assertEquals(3L, stats.keysInFlight());
    assertEquals(3L, stats.waiting());
    assertEquals(6, broker.topicStats().get(0).groups().get(0).ready() + broker.stats().inFlight());
    broker.ack(one, idOf(first, "c1"));
    assertEquals(1L, ordering().blockedKeys(), "c2 is in flight now, nothing behind it");
  }

  @Test
  void aMillionKeysPublishedOnceLeaveNoKeyBehind() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    first.onDeliver((consumer, message) -> broker.ack(one, message.id()));
    RecordingPublisher publisher = new RecordingPublisher(broker);
    for (int i = 0; i < 20_000; i++) {
      publisher.publish(new Publication("t", "p", "key-" + i, null, false));
    }
    assertEquals(20_000, first.deliveries().size());
    assertEquals(0L, ordering().keysInFlight(), "memory per key in flight, not per key seen");
    assertEquals(0L, ordering().waiting());
  }

  @Test
  void aHotKeyHoldsOtherKeysBackOnlyOnceTheGroupHoldsItsMostMessagesWaiting() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    RecordingPublisher publisher = new RecordingPublisher(broker);
    for (int i = 0; i < KeyOrder.MAX_WAITING + 2; i++) {
      publisher.publish(new Publication("t", "hot", "a", null, false));
    }
    publish("b1");
    assertEquals(1, first.deliveries().size(), "a1 in flight, the most waiting, and the group reads no further");
    assertEquals((long) KeyOrder.MAX_WAITING, ordering().waiting());
    broker.ack(one, 1);
    assertEquals(List.of("hot", "hot", "b1"), payloads(first), "a2, and room to read b1");
  }

  @Test
  void aPurgeDropsTheWaitingMessagesAndKeepsOnlyTheKeysStillInFlight() {
    Subscription one = broker.subscribe("t", "g", false, 1, KEY, first);
    publish("a1", "a2", "b1", "b2");
    assertEquals(List.of("a1"), payloads(first), "credit 1: b1 is ready, a2 waits");
    assertEquals(GroupChange.done(3), broker.changeGroup("t", "g", GroupChange.Action.PURGE));
    assertEquals(1L, ordering().keysInFlight(), "a, whose head is in flight");
    broker.ack(one, idOf(first, "a1"));
    publish("b3", "a4");
    assertEquals(List.of("a1", "b3"), payloads(first), "b was forgotten with its purged head");
  }

  @Test
  void aRegisterAskingForAnotherOrderingDoesNotJoinTheGroup() {
    broker.subscribe("t", "g", false, 10, KEY, first);
    assertFalse(broker.admitsGroupSettings("t", "g", new GroupSettings(null, null, Ordering.NONE)));
    assertFalse(broker.admitsGroupSettings("t", "g", new GroupSettings(null, null, Ordering.SINGLE)));
    assertTrue(broker.admitsGroupSettings("t", "g", GroupSettings.DEFAULT), "not asking is joining");
    assertNull(broker.subscribe("t", "g", false, 10, new GroupSettings(null, null, Ordering.SINGLE), second));
    assertEquals(Ordering.KEY, broker.orderingOf("t", "g"));
    assertNull(broker.orderingOf("t", "other"));
  }

  @Test
  void theKeyOrderHoldsAcrossARestartWithADelayedRetryAndWaitingMessages() {
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    publish("a1", "a2", "b1", "b2", "c1");
    broker.nack(one, idOf(first, "a1"), 3_000);
    broker.ack(one, idOf(first, "c1"));
    Broker restarted = restart();
    broker = restarted;
    Subscription two = restarted.subscribe("t", "g", false, 10, second);
    assertEquals(List.of("b1"), payloads(second), "b1 again; a2 waits behind a1's delay, b2 behind b1");
    clock.advance(Duration.ofSeconds(3));
    restarted.expire();
    assertEquals(List.of("b1", "a1"), payloads(second), "a1 after its delay");
    restarted.ack(two, idOf(second, "a1"));
    restarted.ack(two, idOf(second, "b1"));
    assertEquals(List.of("b1", "a1", "a2", "b2"), payloads(second));
    assertTrue(restarted.admitsGroupSettings("t", "g", KEY), "its ordering came back with it");
    assertFalse(restarted.admitsGroupSettings("t", "g", new GroupSettings(null, null, Ordering.NONE)));
  }

  @Test
  void afterARestartADelayedRetryWhoseMessageIsPagedOutIsReadBeforeItsKeyMovesOn() {
    FakeStorage disk = new FakeStorage(clock);
    broker = disk.broker(rules(3));
    Subscription one = broker.subscribe("t", "g", false, 10, KEY, first);
    publish("a1", "a2", "b1");
    broker.nack(one, 1, 3_000);
    List<GroupPosition> positions = broker.positions("t");
    Broker restarted = disk.broker(rules(3));
    restarted.restore(new RestoredTopic("t", 4, List.of(), 1, new long[] {3, 3, 3}, positions, 1)); // all on disk
    broker = restarted;
    Subscription two = restarted.subscribe("t", "g", false, 10, second);
    assertEquals(List.of(), payloads(second), "a1's key is not known yet: nothing goes before it is read");
    disk.answerLastLoad(restarted);
    assertEquals(List.of("b1"), payloads(second), "a2 waits behind a1's delay");
    clock.advance(Duration.ofSeconds(3));
    restarted.expire();
    assertEquals(List.of("b1", "a1"), payloads(second));
    restarted.ack(two, 1);
    assertEquals(List.of("b1", "a1", "a2"), payloads(second));
  }

  private Broker restart() {
    List<GroupPosition> positions = broker.positions("t");
    List<Message> messages = broker.retainedMessages("t", 0, 100);
    long nextId = broker.nextId("t");
    Broker restarted = new Broker(rules(3), clock, null);
    restarted.restore(new RestoredTopic("t", nextId, messages, nextId, new long[0], positions,
        messages.isEmpty() ? nextId : messages.get(0).id()));
    return restarted;
  }
}
