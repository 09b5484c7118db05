package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The message life cycle in the core, on the manual clock: a nack now or after a delay, a touch
 * that restarts the ack deadline, a delivery limit that dead-letters exactly once, redrive, and
 * each of them as it stands after a restart (positions and journal folded back in).
 */
class LifecycleTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock, false);
  private Broker broker = storage.broker(rules(3));
  private final RecordingConsumer worker = new RecordingConsumer("worker");
  private final RecordingConsumer other = new RecordingConsumer("other");
  private final RecordingConsumer dlq = new RecordingConsumer("dlq");

  private static BrokerRules rules(int maxDeliveries) {
    return new BrokerRules(new DeliveryPolicy(TIMEOUT_NANOS, 10, maxDeliveries), TopicLimits.UNBOUNDED, true,
        Long.MAX_VALUE);
  }

  private void publish(String topic, String payload) {
    new RecordingPublisher(broker).publish(topic, payload);
  }

  private GroupStats group(String topic, String name) {
    return broker.topicStats().stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow()
        .groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aNackWithADelayIsRetriedNotBeforeItsDelayAndCountsAsAnAttempt() {
    Subscription subscription = broker.subscribe("t", "g", false, 10, worker);
    publish("t", "job");
    long wallAtNack = clock.wallMillis();
    assertEquals(AckResult.ACKED, broker.nack(subscription, 1, 2_000));
    assertTrue(storage.journal().contains("requeued g 1 after 1 until " + (wallAtNack + 2_000)),
        "journaled with its due time: " + storage.journal());
    assertEquals(0, broker.stats().inFlight(), "a delayed retry is not in flight");
    assertEquals(Duration.ofSeconds(2).toNanos(), broker.nanosUntilNextDeadline(), "the sweep wakes for it");

    clock.advance(Duration.ofMillis(1_999));
    assertEquals(0, broker.expire());
    assertEquals(List.of(1L), worker.ids(), "not before its delay");
    clock.advance(Duration.ofMillis(1));
    assertEquals(1, broker.expire());
    assertEquals(List.of(1L, 1L), worker.ids());
    assertEquals(2, worker.last().attempt());
  }

  @Test
  void aNackOrTouchOfAMessageTheConsumerDoesNotHoldIsRefusedAsForAnAck() {
    broker.subscribe("t", "g", false, 10, worker);
    Subscription stranger = broker.subscribe("t", "g", false, 0, other);
    publish("t", "job");
    assertEquals(AckResult.NOT_OWNER, broker.nack(stranger, 1, 1_000));
    assertEquals(AckResult.NOT_OWNER, broker.touch(stranger, 1));
    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.touch(stranger, 42));
    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.nack(stranger, 42, 0));
    assertEquals(1, broker.stats().inFlight(), "the holder still has it");
  }

  @Test
  void aTouchRestartsTheAckDeadlineFromNow() {
    Subscription subscription = broker.subscribe("t", "g", false, 10, worker);
    publish("t", "long job");
    clock.advance(Duration.ofSeconds(4));
    assertEquals(AckResult.ACKED, broker.touch(subscription, 1));
    assertEquals(TIMEOUT_NANOS, broker.nanosUntilNextDeadline(), "a whole ack timeout from the touch");
    clock.advance(Duration.ofSeconds(4));
    assertEquals(0, broker.expire(), "eight seconds after delivery, but four after the touch");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, broker.expire());
    assertEquals(List.of(1L, 1L), worker.ids());
  }

  @Test
  void aMessageThatFailsMaxDeliveriesTimesIsDeadLetteredOnceWithItsHistoryAndOtherGroupsKeepIt() {
    Subscription subscription = broker.subscribe("orders", "billing", false, 10, worker);
    Subscription shipping = broker.subscribe("orders", "shipping", false, 10, other);
    Subscription ops = broker.subscribe("orders.dlq", "ops", false, 10, dlq);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("trace", "abc");
    new RecordingPublisher(broker).publish(new Publication("orders", "order 7", "customer-3", headers, false));

    clock.advanceNanos(TIMEOUT_NANOS);
    assertEquals(2, broker.expire(), "attempt 1 timed out in both groups");
    assertEquals(AckResult.ACKED, broker.nack(subscription, 1));
    assertEquals(List.of(1L, 1L, 1L), worker.ids(), "attempts 1 to 3");
    assertEquals(AckResult.ACKED, broker.nack(subscription, 1));

    assertEquals(1, dlq.deliveries().size(), "the third failure dead-letters it");
    Message deadLetter = dlq.messages().get(0);
    assertEquals("order 7", deadLetter.payload());
    assertEquals("customer-3", deadLetter.key());
    assertEquals(Map.of("trace", "abc", "x-original-topic", "orders", "x-original-group", "billing",
        "x-original-id", "1", "x-attempts", "3", "x-reason", "nack"), deadLetter.headers());
    assertEquals(List.of(1L, 1L, 1L), worker.ids(), "never delivered to billing again");
    assertEquals(0, group("orders", "billing").ready() + group("orders", "billing").inFlight());
    assertEquals(AckResult.ACKED, broker.ack(ops, deadLetter.id()));

    clock.advanceNanos(10 * TIMEOUT_NANOS);
    broker.expire();
    assertEquals(1, dlq.deliveries().size(), "exactly once");
    assertEquals(AckResult.ACKED, broker.ack(shipping, 1), "shipping still holds its own delivery");
    assertEquals(0, broker.topicStats().get(0).retainedMessages(), "both groups are done with it");
  }

  @Test
  void aGroupKeepsTheSettingsItWasCreatedWithAndARegisterAskingForOthersIsAConflict() {
    GroupSettings parked = new GroupSettings(1, "parked");
    broker.subscribe("t", "g", false, 10, parked, worker);
    broker.subscribe("parked", "ops", false, 10, dlq);
    assertFalse(broker.admitsGroupSettings("t", "g", new GroupSettings(2, null)));
    assertFalse(broker.admitsGroupSettings("t", "g", new GroupSettings(null, "t.dlq")));
    assertTrue(broker.admitsGroupSettings("t", "g", GroupSettings.DEFAULT), "joins as it is");
    assertTrue(broker.admitsGroupSettings("t", "g", parked));
    assertNull(broker.subscribe("t", "g", false, 10, new GroupSettings(2, null), other), "refused, not joined");
    assertTrue(storage.journal().contains("created g at 1 with " + parked), storage.journal().toString());

    publish("t", "job");
    clock.advanceNanos(TIMEOUT_NANOS);
    broker.expire();
    assertEquals(List.of(1L), worker.ids(), "one delivery allowed");
    assertEquals("timeout", dlq.messages().get(0).headers().get("x-reason"));
  }

  @Test
  void aConsumerThatLeavesHoldingItsLastAttemptDeadLettersIt() {
    Subscription subscription = broker.subscribe("t", "g", false, 10, new GroupSettings(1, null), worker);
    broker.subscribe("t.dlq", "ops", false, 10, dlq);
    publish("t", "job");
    broker.unsubscribe(subscription);
    assertEquals(1, dlq.deliveries().size());
    assertEquals("timeout", dlq.messages().get(0).headers().get("x-reason"), "gone without an answer");
  }

  @Test
  void theOriginalIsReleasedOnlyOnceItsDeadLetterIsStoredAndARefusedOneIsTriedAgain() {
    FakeStorage held = new FakeStorage(clock);
    broker = held.broker(rules(1));
    held.holdAppends();
    Subscription subscription = broker.subscribe("t", "g", false, 10, worker);
    publish("t", "job");
    held.storeNext();
    broker.nack(subscription, 1);
    assertEquals(1, held.pendingAppends(), "the dead letter waits for the disk");
    assertEquals(List.of(new GroupPosition.PendingDelivery(1, 1)), broker.positions("t").get(0).pending(),
        "still pending: a restart now sends it again");
    assertTrue(held.journal().stream().noneMatch(line -> line.equals("acked g 1")));

    held.failNext("disk full");
    assertEquals(1, broker.positions("t").get(0).pending().size(), "refused: still pending, never dropped");
    clock.advanceNanos(TIMEOUT_NANOS);
    broker.expire();
    assertEquals(1, held.pendingAppends(), "tried again after an ack timeout");
    held.storeNext();
    assertTrue(held.journal().contains("acked g 1"), held.journal().toString());
    assertEquals(List.of(), broker.positions("t").get(0).pending());
  }

  @Test
  void redriveMovesDeadLettersBackToTheirTopicAsNewMessagesAndEachOnlyOnce() {
    Subscription subscription = broker.subscribe("t", "g", false, 10, new GroupSettings(1, null), worker);
    Map<String, String> headers = Map.of("trace", "abc");
    new RecordingPublisher(broker).publish(new Publication("t", "one", "k", headers, false));
    publish("t", "two");
    broker.nack(subscription, 1);
    broker.nack(subscription, 2);
    List<Long> moved = new ArrayList<>();

    broker.redrive("t.dlq", 1, moved::add);
    assertEquals(List.of(1L), moved);
    assertEquals(3L, worker.last().id(), "a new message in its topic");
    assertEquals(1, worker.last().attempt(), "attempts start again");
    assertEquals("one", worker.messages().get(2).payload());
    assertEquals(headers, worker.messages().get(2).headers(), "the dead letter's own headers are gone");
    assertEquals("k", worker.messages().get(2).key());

    broker.redrive("t.dlq", 10, moved::add);
    broker.redrive("t.dlq", 10, moved::add);
    broker.redrive("nowhere.dlq", 10, moved::add);
    broker.redrive("t", 10, moved::add);
    assertEquals(List.of(1L, 1L, 0L, 0L, 0L), moved, "a topic that got no dead letters is not redriven");
    assertEquals(List.of(1L, 2L, 3L, 4L), worker.ids());
    assertEquals(List.of("g"), broker.topicStats().stream().filter(t -> t.name().equals("t")).findFirst()
        .orElseThrow().groups().stream().map(GroupStats::name).toList(), "and gets no .redrive group");
  }

  @Test
  void aRedrivenMessageGoesOnlyToTheGroupItCameFromAlsoAfterARestart() {
    Subscription subscription = broker.subscribe("t", "g", false, 10, new GroupSettings(1, null), worker);
    Subscription audit = broker.subscribe("t", "audit", false, 10, other);
    publish("t", "job");
    broker.ack(audit, 1);
    broker.nack(subscription, 1);
    List<Long> moved = new ArrayList<>();
    broker.redrive("t.dlq", 10, moved::add);
    assertEquals(List.of(1L), moved);
    assertEquals(List.of(1L, 2L), worker.ids(), "back to g");
    assertEquals(List.of(1L), other.ids(), "audit had it already and does not get the copy");
    assertTrue(storage.journal().contains("acked audit 2"), "journaled: " + storage.journal());

    Broker restarted = restart();
    RecordingConsumer auditAfter = new RecordingConsumer("audit after");
    restarted.subscribe("t", "audit", false, 10, auditAfter);
    assertEquals(List.of(), auditAfter.ids(), "not after a restart either");
  }

  @Test
  void aDelayedNackAndTheGroupSettingsHoldAcrossARestart() {
    Subscription subscription = broker.subscribe("t", "g", false, 10, new GroupSettings(2, "parked"), worker);
    publish("t", "job");
    broker.nack(subscription, 1, 3_000);
    Broker restarted = restart();

    RecordingConsumer after = new RecordingConsumer("after");
    RecordingConsumer parked = new RecordingConsumer("parked");
    restarted.subscribe("parked", "ops", false, 10, parked);
    Subscription again = restarted.subscribe("t", "g", false, 10, after);
    assertEquals(List.of(), after.ids(), "still waiting for its delay");
    assertEquals(Duration.ofSeconds(3).toNanos(), restarted.nanosUntilNextDeadline());
    clock.advance(Duration.ofSeconds(3));
    restarted.expire();
    assertEquals(2, after.last().attempt(), "its attempt count came back too");
    assertFalse(restarted.admitsGroupSettings("t", "g", new GroupSettings(5, null)));
    restarted.nack(again, 1);
    assertEquals(1, parked.deliveries().size(), "its own limit and dead-letter topic came back");
  }

  @Test
  void aDeadLetterARestartInterruptedIsSentWhenTheGroupDispatchesAgain() {
    broker = new Broker(rules(3), clock, null);
    broker.restore(new RestoredTopic("t", 2, List.of(new Message(1, "t", "job", null, null, false, 1)), 2,
        new long[0], List.of(new GroupPosition("g", 2, List.of(new GroupPosition.PendingDelivery(1, 3)), Set.of())),
        1));
    broker.subscribe("t.dlq", "ops", false, 10, dlq);
    broker.subscribe("t", "g", false, 10, worker);
    assertEquals(List.of(), worker.ids(), "its last attempt failed before the restart");
    assertEquals("3", dlq.messages().get(0).headers().get("x-attempts"));
  }

  @Test
  void theJournalFoldsADelayedRequeueAndTheGroupsSettings() {
    JournalReplay replay = new JournalReplay(List.of());
    replay.groupCreated("g", 1, new GroupSettings(4, "parked"));
    replay.requeued("g", 1, 2, 1_700_000_009_000L);
    replay.requeued("g", 2, 1);
    GroupPosition position = replay.positions().get(0);
    assertEquals(new GroupSettings(4, "parked"), position.settings());
    assertEquals(List.of(new GroupPosition.PendingDelivery(1, 2, 1_700_000_009_000L),
        new GroupPosition.PendingDelivery(2, 1)), position.pending());
  }

  @Test
  void aTopicWhoseDeadLetterTopicNameWouldBeInvalidKeepsRetryingRatherThanLoseTheMessage() {
    String longName = "t".repeat(126);
    Subscription subscription = broker.subscribe(longName, "g", false, 10, new GroupSettings(1, null), worker);
    publish(longName, "job");
    broker.nack(subscription, 1);
    assertEquals(List.of(1L, 1L), worker.ids(), longName + ".dlq is 130 characters: no dead letter");
  }

  @Test
  void aSeedBrokerDeadLettersNothing() {
    broker = new Broker(new DeliveryPolicy(TIMEOUT_NANOS, 10), clock);
    Subscription subscription = broker.subscribe("t", "g", false, 10, worker);
    publish("t", "job");
    for (int i = 0; i < 20; i++) {
      broker.nack(subscription, 1);
    }
    assertEquals(21, worker.last().attempt());
    assertNull(broker.topicStats().stream().filter(t -> t.name().equals("t.dlq")).findFirst().orElse(null));
  }

  /** A restart of the memory broker as storage would drive it: its positions and messages, restored. */
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
