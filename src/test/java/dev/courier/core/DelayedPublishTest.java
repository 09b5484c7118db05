package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Publish delay_ms / deliver_at: not delivered to any group before due, then in due order; durable. */
class DelayedPublishTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(30).toNanos();

  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock);
  private Broker broker = broker(storage);

  private Broker broker(FakeStorage on) {
    return on.broker(new BrokerRules(new DeliveryPolicy(TIMEOUT_NANOS, 100), TopicLimits.UNBOUNDED, true,
        Long.MAX_VALUE));
  }

  private void publishDelayed(String payload, long delayMillis) {
    new RecordingPublisher(broker).publish(new Publication("t", payload, null, null, false, null, 0, delayMillis, 0));
  }

  private void advanceAndSweep(long millis) {
    clock.advance(Duration.ofMillis(millis));
    broker.expire();
  }

  @Test
  void aDelayedPublishReachesNoGroupBeforeItsDueTimeAndThenEveryGroupInDueOrder() {
    RecordingConsumer first = new RecordingConsumer("first");
    RecordingConsumer second = new RecordingConsumer("second");
    broker.subscribe("t", "a", false, 100, first);
    broker.subscribe("t", "b", false, 100, second);
    publishDelayed("in 3 s", 3_000);
    publishDelayed("in 1 s", 1_000);
    publishDelayed("in 2 s", 2_000);

    advanceAndSweep(999);
    assertEquals(List.of(), first.ids(), "nothing is due yet");
    assertEquals(List.of(), second.ids());

    advanceAndSweep(1);
    assertEquals(List.of(2L), first.ids(), "due at 1 s exactly");
    advanceAndSweep(2_000);
    assertEquals(List.of(2L, 3L, 1L), first.ids(), "in due order, not id order");
    assertEquals(List.of(2L, 3L, 1L), second.ids(), "every group gets each delayed message");
    assertEquals(1, second.last().attempt(), "a first delivery, not a retry");
  }

  @Test
  void messagesPublishedAfterADelayedOneAreDeliveredAtOnce() {
    RecordingConsumer worker = new RecordingConsumer("worker");
    Subscription subscription = broker.subscribe("t", "g", false, 1, worker);
    publishDelayed("later", 60_000);
    storage.publish(broker, "t", "now");
    storage.publish(broker, "t", "next");

    assertEquals(List.of(2L), worker.ids(), "the delayed one does not hold the queue");
    broker.ack(subscription, 2);
    assertEquals(List.of(2L, 3L), worker.ids());
    assertEquals(1, broker.topicStats().get(0).groups().get(0).ready() + 1, "the delay is not counted ready");
  }

  @Test
  void theSweepIsArmedForTheEarliestDueTimeAndToldWhenAnEarlierOneArrives() {
    int[] rearmed = {0};
    broker.onEarlierRetry(() -> rearmed[0]++);
    broker.createTopic("t");
    publishDelayed("in 5 s", 5_000);
    assertEquals(Duration.ofSeconds(5).toNanos(), broker.nanosUntilNextDeadline());
    publishDelayed("in 9 s", 9_000);
    publishDelayed("in 2 s", 2_000);

    assertEquals(Duration.ofSeconds(2).toNanos(), broker.nanosUntilNextDeadline());
    assertEquals(2, rearmed[0], "told for the first one and for the earlier one, not for the later one");
  }

  @Test
  void aDeliverAtInThePastIsAnOrdinaryMessage() {
    RecordingConsumer worker = new RecordingConsumer("worker");
    broker.subscribe("t", "g", false, 10, worker);
    new RecordingPublisher(broker).publish(new Publication("t", "overdue", null, null, false, null, 0, 0,
        clock.wallMillis() - 1));
    new RecordingPublisher(broker).publish(new Publication("t", "later", null, null, false, null, 0, 0,
        clock.wallMillis() + 500));

    assertEquals(List.of(1L), worker.ids());
    advanceAndSweep(500);
    assertEquals(List.of(1L, 2L), worker.ids(), "deliver_at is a wall time, due when it comes");
    assertEquals(List.of("created g at 1", "due 2 at " + clock.wallMillis()),
        storage.journal().stream().filter(e -> !e.startsWith("acked")).toList());
  }

  @Test
  void aDelayThatFellDueWhileOnItsWayToDiskIsReleasedAtOnceThroughTheJournal() {
    RecordingConsumer worker = new RecordingConsumer("worker");
    broker.subscribe("t", "g", false, 10, worker);
    storage.holdAppends();
    publishDelayed("short", 5);
    clock.advance(Duration.ofMillis(10));
    storage.storeNext();

    assertEquals(List.of(1L), worker.ids());
    assertTrue(storage.journal().contains("due 1 at " + (clock.wallMillis() - 5)), storage.journal().toString());
  }

  @Test
  void aGroupCreatedBeforeTheDueTimeGetsItAndOneCreatedFromLatestAfterwardsDoesNot() {
    broker.subscribe("t", "early", false, 10, new RecordingConsumer("early"));
    publishDelayed("job", 1_000);
    RecordingConsumer joinedWhileDelayed = new RecordingConsumer("while");
    broker.subscribe("t", "while", true, 10, joinedWhileDelayed);
    advanceAndSweep(1_000);
    RecordingConsumer joinedAfter = new RecordingConsumer("after");
    broker.subscribe("t", "after", true, 10, joinedAfter);
    RecordingConsumer fromEarliest = new RecordingConsumer("earliest");
    broker.subscribe("t", "earliest", false, 10, fromEarliest);

    assertEquals(List.of(1L), joinedWhileDelayed.ids(), "as if published at its due time");
    assertEquals(List.of(), joinedAfter.ids());
    assertEquals(List.of(1L), fromEarliest.ids(), "still retained: the earliest window holds it");
  }

  @Test
  void aDelayReachingItsTtlIsRefusedAndAShorterOneExpiresAtItsTtlCountedFromThePublish() {
    Publication tooLong = new Publication("t", "x", null, null, false, null, 1_000, 1_000, 0);
    Publication shorter = new Publication("t", "x", null, null, false, null, 1_000, 600, 0);
    assertNotNull(broker.delayProblem(tooLong));
    assertTrue(broker.delayProblem(tooLong).contains("ttl_ms 1000"), broker.delayProblem(tooLong));
    assertNull(broker.delayProblem(shorter));

    Subscription paused = broker.subscribe("t", "g", false, 0, new RecordingConsumer("slow"));
    new RecordingPublisher(broker).publish(shorter);
    advanceAndSweep(1_000);
    broker.setCredit(paused, 10);
    assertEquals(1, broker.expiredDropped("t", "g"), "due at 600 ms, expired at 1000 ms before delivery");
  }

  @Test
  void aRestartKeepsPendingDelaysAndDoesNotDeliverAgainOneReleasedAndAcked() {
    RecordingConsumer worker = new RecordingConsumer("worker");
    Subscription subscription = broker.subscribe("t", "g", false, 10, worker);
    publishDelayed("soon", 1_000);
    publishDelayed("later", 5_000);
    storage.publish(broker, "t", "plain");
    advanceAndSweep(1_000);
    broker.ack(subscription, 1);
    broker.ack(subscription, 3);

    RecordingConsumer after = new RecordingConsumer("after");
    Broker restarted = restart();
    restarted.subscribe("t", "g", false, 10, after);
    restarted.expire();
    assertEquals(List.of(), after.ids(), "msg 1 was released and acked; msg 2 is not due");
    clock.advance(Duration.ofMillis(4_000));
    restarted.expire();
    assertEquals(List.of(2L), after.ids());
  }

  @Test
  void aRestartDeliversAgainADelayReleasedButNotAckedAndOneThatFellDueWhileTheBrokerWasDown() {
    RecordingConsumer worker = new RecordingConsumer("worker");
    broker.subscribe("t", "g", false, 10, worker);
    publishDelayed("released", 1_000);
    publishDelayed("due while down", 3_000);
    advanceAndSweep(1_000);
    assertEquals(List.of(1L), worker.ids());

    Broker restarted = restart();
    clock.advance(Duration.ofMillis(5_000));
    RecordingConsumer after = new RecordingConsumer("after");
    restarted.subscribe("t", "g", false, 10, after);
    assertEquals(List.of(1L), after.ids(), "pending at the checkpoint: again at once");
    restarted.expire();
    assertEquals(List.of(1L, 2L), after.ids());
  }

  @Test
  void purgingAGroupLeavesItsPendingDelaysToComeWhenDue() {
    RecordingConsumer worker = new RecordingConsumer("worker");
    Subscription paused = broker.subscribe("t", "g", false, 0, worker);
    publishDelayed("delayed", 1_000);
    storage.publish(broker, "t", "ready");
    assertEquals(1, broker.changeGroup("t", "g", GroupChange.Action.PURGE).messages());
    broker.setCredit(paused, 10);
    advanceAndSweep(1_000);

    assertEquals(List.of(1L), worker.ids());
  }

  @Test
  void statsCountTheTopicsPendingDelaysAndEachGroupsDeadLettersAndExpiries() {
    Subscription paused = broker.subscribe("t", "g", false, 0, new RecordingConsumer("slow"));
    publishDelayed("pending", 60_000);
    new RecordingPublisher(broker).publish(new Publication("t", "mortal", null, null, false, null, 100));
    clock.advance(Duration.ofMillis(100));
    broker.setCredit(paused, 10);

    TopicStats topic = broker.topicStats().get(0);
    assertEquals(1, topic.delayed());
    assertEquals(1, topic.groups().get(0).expired());
    assertEquals(0, topic.groups().get(0).deadLettered());
    assertEquals(0, topic.groups().get(0).ready(), "neither the expired nor the pending one is ready");
  }

  /** As storage would: the checkpoint's positions, the retained messages and every delayed record. */
  private Broker restart() {
    List<GroupPosition> positions = broker.positions("t");
    List<Message> messages = broker.retainedMessages("t", 0, 100);
    long nextId = broker.nextId("t");
    long[][] delayed = storage.delayedRecords();
    Broker restarted = broker(new FakeStorage(clock));
    restarted.restore(new RestoredTopic("t", nextId, messages, nextId, new long[0], positions,
        messages.isEmpty() ? nextId : messages.get(0).id(), List.of(), delayed[0], delayed[1]));
    broker = restarted;
    return restarted;
  }
}
