package dev.courier.core;

import static dev.courier.core.RecordingPublisher.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.RecordingConsumer.Delivery;
import dev.courier.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every transition of the broker's state machine, driven by method calls and a manual clock. */
class BrokerTest {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
  private static final long TIMEOUT_NANOS = ACK_TIMEOUT.toNanos();
  private static final int ROOMY = 10;

  private final ManualClock clock = new ManualClock();
  private final RecordingConsumer a = new RecordingConsumer("a");
  private final RecordingConsumer b = new RecordingConsumer("b");
  private final RecordingConsumer c = new RecordingConsumer("c");
  private int drainedCalls;

  private Broker broker(int maxInFlightPerConsumer) {
    return new Broker(new DeliveryPolicy(TIMEOUT_NANOS, maxInFlightPerConsumer), clock);
  }

  private void pastTheAckTimeout() {
    clock.advanceNanos(TIMEOUT_NANOS + 1);
  }

  // ---- publish, deliver, ack ----

  @Test
  void deliversAPublishedMessageAndForgetsItOnceAcked() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);

    long id = publish(broker, "hello");

    assertEquals(List.of(new Delivery(id, "hello", 1)), a.deliveries());
    assertEquals(clock.wallMillis(), a.messages().get(0).timestampMillis());
    assertEquals(1, subA.inFlight());
    assertEquals(AckResult.ACKED, broker.ack(subA, id));
    assertEquals(0, subA.inFlight());
    assertEquals(new BrokerStats(1, 1, 0, 1, 0, 0, 1, false), broker.stats());
  }

  @Test
  void assignsIncreasingIdsStartingAtOne() {
    Broker broker = broker(ROOMY);

    assertEquals(List.of(1L, 2L, 3L), List.of(publish(broker, "x"), publish(broker, "y"), publish(broker, "z")));
  }

  @Test
  void keepsMessagesPublishedBeforeAnyConsumerAndDeliversThemInOrder() {
    Broker broker = broker(ROOMY);
    publish(broker, "first");
    publish(broker, "second");
    publish(broker, "third");
    assertEquals(new BrokerStats(3, 0, 0, 0, 3, 0, 0, false), broker.stats());

    broker.subscribe(a);

    assertEquals(List.of(new Delivery(1, "first", 1), new Delivery(2, "second", 1), new Delivery(3, "third", 1)),
        a.deliveries());
    assertEquals(0, broker.stats().ready());
  }

  @Test
  void alternatesBetweenTwoConsumersGivingEachExactlyHalf() {
    Broker broker = broker(ROOMY);
    broker.subscribe(a);
    broker.subscribe(b);

    List<String> receivers = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      long id = publish(broker, "m" + i);
      receivers.add(a.ids().contains(id) ? "a" : b.ids().contains(id) ? "b" : "nobody");
    }

    assertEquals(List.of("a", "b", "a", "b"), receivers);
    assertEquals(List.of(1L, 3L), a.ids());
    assertEquals(List.of(2L, 4L), b.ids());
  }

  @Test
  void keepsTheRoundRobinTurnWhenAnEarlierConsumerLeaves() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    broker.subscribe(b);
    broker.subscribe(c);
    broker.ack(subA, publish(broker, "to a"));
    publish(broker, "to b");

    broker.unsubscribe(subA);
    publish(broker, "to c, whose turn it is");
    publish(broker, "to b again");

    assertEquals(List.of(2L, 4L), b.ids());
    assertEquals(List.of(3L), c.ids());
  }

  // ---- credit and back-pressure ----

  @Test
  void holdsBackMessagesBeyondTheInFlightLimitUntilAnAckFreesCredit() {
    Broker broker = broker(2);
    Subscription subA = broker.subscribe(a);

    publish(broker, "1");
    publish(broker, "2");
    publish(broker, "3");

    assertEquals(List.of(1L, 2L), a.ids());
    assertEquals(2, subA.inFlight());
    assertEquals(1, broker.stats().ready());

    assertEquals(AckResult.ACKED, broker.ack(subA, 2));

    assertEquals(List.of(1L, 2L, 3L), a.ids());
    assertEquals(2, subA.inFlight());
    assertEquals(0, broker.stats().ready());
  }

  @Test
  void passesOverAConsumerAtItsLimitToOneWithCredit() {
    Broker broker = broker(1);
    broker.subscribe(a);
    Subscription subB = broker.subscribe(b);

    publish(broker, "1");
    publish(broker, "2");
    publish(broker, "3");
    assertEquals(List.of(1L), a.ids());
    assertEquals(List.of(2L), b.ids());

    broker.ack(subB, 2);

    assertEquals(List.of(1L), a.ids());
    assertEquals(List.of(2L, 3L), b.ids());
  }

  @Test
  void skipsAConsumerThatCannotAccept() {
    Broker broker = broker(ROOMY);
    broker.subscribe(a);
    broker.subscribe(b);
    a.setCanAccept(false);

    publish(broker, "1");
    publish(broker, "2");

    assertEquals(List.of(), a.ids());
    assertEquals(List.of(1L, 2L), b.ids());
  }

  @Test
  void servesABlockedConsumerOnceItReportsItIsWritable() {
    Broker broker = broker(ROOMY);
    broker.subscribe(a);
    a.setCanAccept(false);
    publish(broker, "waiting");
    assertEquals(1, broker.stats().ready());

    a.setCanAccept(true);
    assertEquals(List.of(), a.ids(), "nothing moves until the adapter says the consumer is writable");

    broker.consumerWritable();

    assertEquals(List.of(new Delivery(1, "waiting", 1)), a.deliveries());
    assertEquals(0, broker.stats().ready());
  }

  @Test
  void aDrainedSocketServesEveryGroupThatFoundOneOfItsConsumersFull() {
    Broker broker = broker(ROOMY);
    broker.subscribe("t", "blocked", false, ROOMY, a);
    broker.subscribe("t", "free", false, ROOMY, b);
    a.setCanAccept(false);
    publish(broker, Publication.of("t", "x"));
    assertEquals(List.of(1L), b.ids());

    a.setCanAccept(true);
    broker.consumerWritable();
    assertEquals(List.of(1L), a.ids());
    broker.consumerWritable();
    assertEquals(List.of(1L), a.ids(), "offered once: nothing more was waiting");
  }

  // ---- ack timeout ----

  @Test
  void requeuesNothingBeforeTheAckDeadline() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    publish(broker, "x");

    clock.advanceNanos(TIMEOUT_NANOS - 1);

    assertEquals(0, broker.expire());
    assertEquals(1, broker.stats().inFlight());
    assertEquals(1, a.deliveries().size());
    assertEquals(AckResult.ACKED, broker.ack(subA, 1));
  }

  @Test
  void requeuesATimedOutMessageAheadOfNewerMessages() {
    Broker broker = broker(1);
    Subscription subA = broker.subscribe(a);
    publish(broker, "old");
    publish(broker, "newer");
    publish(broker, "newest");
    a.setCanAccept(false);
    pastTheAckTimeout();

    assertEquals(1, broker.expire());
    assertEquals(3, broker.stats().ready());
    assertEquals(0, broker.stats().inFlight());

    a.setCanAccept(true);
    broker.consumerWritable();
    assertEquals(new Delivery(1, "old", 2), a.last());
    broker.ack(subA, 1);
    assertEquals(new Delivery(2, "newer", 1), a.last());
  }

  @Test
  void redeliversToAnotherConsumerAfterAckTimeout() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    publish(broker, "x");
    Subscription subB = broker.subscribe(b);
    pastTheAckTimeout();

    assertEquals(1, broker.expire());

    assertEquals(List.of(new Delivery(1, "x", 1)), a.deliveries());
    assertEquals(List.of(new Delivery(1, "x", 2)), b.deliveries());
    assertEquals(0, subA.inFlight());
    assertEquals(1, subB.inFlight());
    assertEquals(AckResult.NOT_OWNER, broker.ack(subA, 1));
    assertEquals(AckResult.ACKED, broker.ack(subB, 1));
  }

  @Test
  void redeliversToAnotherConsumerEvenWhenItIsTheFormerHoldersTurn() {
    Broker broker = broker(ROOMY);
    broker.subscribe(a);
    Subscription subB = broker.subscribe(b);
    publish(broker, "x");                                   // to a
    broker.ack(subB, publish(broker, "y"));                 // to b; the turn passes back to a
    pastTheAckTimeout();

    assertEquals(1, broker.expire());

    assertEquals(List.of(new Delivery(1, "x", 1)), a.deliveries());
    assertEquals(List.of(new Delivery(2, "y", 1), new Delivery(1, "x", 2)), b.deliveries());
  }

  @Test
  void returnsATimedOutMessageToTheSameConsumerWhenNoOtherHasRoom() {
    Broker broker = broker(1);
    broker.subscribe(a);
    broker.subscribe(b);
    publish(broker, "1");
    clock.advance(Duration.ofSeconds(5));
    publish(broker, "2");
    clock.advanceNanos(TIMEOUT_NANOS - Duration.ofSeconds(5).toNanos() + 1);

    assertEquals(1, broker.expire(), "only the first delivery is overdue");

    assertEquals(List.of(new Delivery(1, "1", 1), new Delivery(1, "1", 2)), a.deliveries());
    assertEquals(List.of(new Delivery(2, "2", 1)), b.deliveries());
  }

  @Test
  void returnsATimedOutMessageToItsOnlyConsumer() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    publish(broker, "x");
    pastTheAckTimeout();

    assertEquals(1, broker.expire());

    assertEquals(List.of(new Delivery(1, "x", 1), new Delivery(1, "x", 2)), a.deliveries());
    assertEquals(1, subA.inFlight());
    assertEquals(AckResult.ACKED, broker.ack(subA, 1));
  }

  @Test
  void keepsTheIdAndTimestampAndCountsAttemptsAcrossRedeliveries() {
    Broker broker = broker(ROOMY);
    broker.subscribe(a);
    publish(broker, "x");

    for (int i = 0; i < 3; i++) {
      pastTheAckTimeout();
      assertEquals(1, broker.expire());
    }

    assertEquals(List.of(new Delivery(1, "x", 1), new Delivery(1, "x", 2), new Delivery(1, "x", 3), new Delivery(1, "x", 4)),
        a.deliveries());
    long publishedAt = a.messages().get(0).timestampMillis();
    assertTrue(a.messages().stream().allMatch(m -> m.timestampMillis() == publishedAt), a.messages().toString());
  }

  @Test
  void requeuesSeveralExpiredMessagesInIdOrderAheadOfNewerOnes() {
    Broker broker = broker(1);
    broker.subscribe(a);
    broker.subscribe(b);
    publish(broker, "1");                                   // to a
    clock.advance(Duration.ofSeconds(5));
    publish(broker, "2");                                   // to b
    clock.advanceNanos(TIMEOUT_NANOS - Duration.ofSeconds(5).toNanos() + 1);
    assertEquals(1, broker.expire());                     // 1 goes back to a, after 2 in delivery order
    assertEquals(new Delivery(1, "1", 2), a.last());
    publish(broker, "3");                                   // nobody has room: waits
    a.setCanAccept(false);
    b.setCanAccept(false);
    clock.advance(ACK_TIMEOUT.plusSeconds(1));

    assertEquals(2, broker.expire());
    assertEquals(3, broker.stats().ready());

    Subscription subC = broker.subscribe(c);
    broker.ack(subC, 1);
    broker.ack(subC, 2);
    assertEquals(List.of(new Delivery(1, "1", 3), new Delivery(2, "2", 2), new Delivery(3, "3", 1)), c.deliveries());
  }

  @Test
  void handlesDeadlinesAcrossNanoTimeOverflow() {
    ManualClock wrapping = new ManualClock(Long.MAX_VALUE - Duration.ofSeconds(10).toNanos());
    Broker broker = new Broker(new DeliveryPolicy(TIMEOUT_NANOS, ROOMY), wrapping);
    broker.subscribe(a);
    publish(broker, "x");                                   // its deadline wraps past Long.MAX_VALUE
    wrapping.advance(Duration.ofSeconds(5));
    assertEquals(0, broker.expire(), "the deadline has wrapped but the clock has not yet");
    wrapping.advance(Duration.ofSeconds(15));
    assertTrue(wrapping.nanoTime() < 0, "the clock has wrapped too");

    assertEquals(0, broker.expire());
    assertEquals(Duration.ofSeconds(10).toNanos(), broker.nanosUntilNextDeadline());

    wrapping.advanceNanos(Duration.ofSeconds(10).toNanos() + 1);
    assertEquals(1, broker.expire());
    assertEquals(new Delivery(1, "x", 2), a.last());
  }

  @Test
  void reportsTheTimeUntilTheEarliestAckDeadline() {
    Broker broker = broker(ROOMY);
    assertEquals(-1, broker.nanosUntilNextDeadline(), "idle");

    publish(broker, "1");
    assertEquals(-1, broker.nanosUntilNextDeadline(), "ready but not in flight");

    Subscription subA = broker.subscribe(a);
    assertEquals(TIMEOUT_NANOS, broker.nanosUntilNextDeadline());

    clock.advance(Duration.ofSeconds(10));
    publish(broker, "2");
    assertEquals(TIMEOUT_NANOS - Duration.ofSeconds(10).toNanos(), broker.nanosUntilNextDeadline());

    broker.ack(subA, 1);
    assertEquals(TIMEOUT_NANOS, broker.nanosUntilNextDeadline(), "now the second delivery is the earliest");

    clock.advance(ACK_TIMEOUT.plusSeconds(5));
    assertEquals(0, broker.nanosUntilNextDeadline(), "overdue is 0, never negative");

    broker.ack(subA, 2);
    assertEquals(-1, broker.nanosUntilNextDeadline());
  }

  @Test
  void theSweepDeadlineFollowsTheGroupsWithDeliveriesInFlightAmongManyIdleOnes() {
    Broker broker = broker(ROOMY);
    for (int i = 0; i < 100; i++) {
      broker.subscribe("idle", "g" + i, false, ROOMY, new RecordingConsumer("idle" + i));
    }
    Subscription first = broker.subscribe("t", "first", false, ROOMY, a);
    publish(broker, Publication.of("t", "1"));
    clock.advance(Duration.ofSeconds(10));
    Subscription second = broker.subscribe("u", "second", false, ROOMY, b);
    publish(broker, Publication.of("u", "1"));
    assertEquals(TIMEOUT_NANOS - Duration.ofSeconds(10).toNanos(), broker.nanosUntilNextDeadline());

    broker.ack(first, 1);
    assertEquals(TIMEOUT_NANOS, broker.nanosUntilNextDeadline(), "the first group has nothing in flight now");
    pastTheAckTimeout();
    assertEquals(1, broker.expire());
    assertEquals(List.of(new Delivery(1, "1", 1), new Delivery(1, "1", 2)), b.deliveries());
    broker.ack(second, 1);
    assertEquals(-1, broker.nanosUntilNextDeadline());
    assertEquals(0, broker.expire());
  }

  @Test
  void aCheckpointTakesOnlyTheTopicsWhoseGroupsMovedSinceTheLastOne() {
    Broker broker = broker(ROOMY);
    Subscription busy = broker.subscribe("busy", "g", false, ROOMY, a);
    broker.subscribe("idle", "g", false, ROOMY, b);
    publish(broker, Publication.of("unread", "x"));
    assertEquals(List.of("busy", "idle"), broker.takeTopicsToCheckpoint(), "new groups");
    assertEquals(List.of(), broker.takeTopicsToCheckpoint());

    publish(broker, Publication.of("busy", "1"));
    assertEquals(List.of("busy"), broker.takeTopicsToCheckpoint(), "a delivery moved its group");
    broker.ack(busy, 1);
    publish(broker, Publication.of("unread", "y"));
    assertEquals(List.of("busy"), broker.takeTopicsToCheckpoint(), "an ack; publishing alone moves no group");
  }

  // ---- consumers leaving ----

  @Test
  void givesALeavingConsumersMessagesToTheRemainingConsumerAtOnce() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    broker.subscribe(b);
    for (int i = 1; i <= 4; i++) {
      publish(broker, "m" + i);
    }

    broker.unsubscribe(subA);

    assertEquals(List.of(new Delivery(2, "m2", 1), new Delivery(4, "m4", 1), new Delivery(1, "m1", 2), new Delivery(3, "m3", 2)),
        b.deliveries());
    assertEquals(0, subA.inFlight());
    assertEquals(new BrokerStats(4, 6, 2, 0, 0, 4, 1, false), broker.stats());
  }

  @Test
  void returnsALeavingConsumersMessagesToTheFrontInIdOrder() {
    Broker broker = broker(2);
    Subscription subA = broker.subscribe(a);
    Subscription subB = broker.subscribe(b);
    publish(broker, "1");                                   // to a
    clock.advance(Duration.ofSeconds(5));
    b.setCanAccept(false);
    publish(broker, "2");                                   // to a
    clock.advanceNanos(TIMEOUT_NANOS - Duration.ofSeconds(5).toNanos() + 1);
    assertEquals(1, broker.expire());                     // 1 back to a, now held after 2
    publish(broker, "3");                                   // a is full, b blocked: waits
    assertEquals(List.of(1L, 2L, 1L), a.ids());

    broker.unsubscribe(subA);
    assertEquals(new BrokerStats(3, 3, 1, 0, 3, 0, 1, false), broker.stats(), "requeued at once, not at the deadline");

    b.setCanAccept(true);
    broker.consumerWritable();
    broker.ack(subB, 1);
    assertEquals(List.of(new Delivery(1, "1", 3), new Delivery(2, "2", 2), new Delivery(3, "3", 1)), b.deliveries());
  }

  @Test
  void queuesALeavingConsumersMessagesAheadOfNewerOnesWhenTheOthersAreFull() {
    Broker broker = broker(2);
    Subscription subA = broker.subscribe(a);
    Subscription subB = broker.subscribe(b);
    for (int i = 1; i <= 5; i++) {
      publish(broker, "m" + i);
    }
    assertEquals(List.of(1L, 3L), a.ids());
    assertEquals(List.of(2L, 4L), b.ids());

    broker.unsubscribe(subA);
    assertEquals(3, broker.stats().ready());

    broker.ack(subB, 2);
    broker.ack(subB, 4);
    broker.ack(subB, 1);
    assertEquals(List.of(2L, 4L, 1L, 3L, 5L), b.ids());
    assertEquals(List.of(1, 1, 2, 2, 1), b.deliveries().stream().map(Delivery::attempt).toList());
  }

  @Test
  void unsubscribingTwiceIsHarmless() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    Subscription subB = broker.subscribe(b);
    b.setCanAccept(false);
    publish(broker, "1");
    publish(broker, "2");

    broker.unsubscribe(subA);
    broker.unsubscribe(subA);

    assertEquals(new BrokerStats(2, 2, 0, 0, 2, 0, 1, false), broker.stats());
    b.setCanAccept(true);
    broker.consumerWritable();
    publish(broker, "3");
    assertEquals(List.of(1L, 2L, 3L), b.ids());
    assertEquals(List.of(1L, 2L), a.ids(), "a left: it gets nothing more");
    assertEquals(3, subB.inFlight());
  }

  @Test
  void aConsumerThatLeavesInsideDeliverHandsTheMessageOn() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    broker.subscribe(b);
    a.onDeliver((consumer, message) -> broker.unsubscribe(subA)); // the write found the socket closed

    publish(broker, "x");

    assertEquals(List.of(1L), a.ids());
    assertEquals(List.of(new Delivery(1, "x", 2)), b.deliveries());
    assertEquals(1, broker.stats().consumers());
    assertEquals(1, broker.stats().inFlight());
  }

  @Test
  void aConsumerThatAcksInsideDeliverReceivesEveryMessageInOrder() {
    Broker broker = broker(1);
    Subscription subA = broker.subscribe(a);
    a.setCanAccept(false);
    publish(broker, "1");
    publish(broker, "2");
    publish(broker, "3");
    List<AckResult> results = new ArrayList<>();
    a.onDeliver((consumer, message) -> results.add(broker.ack(subA, message.id())));

    a.setCanAccept(true);
    broker.consumerWritable();

    assertEquals(List.of(1L, 2L, 3L), a.ids());
    assertEquals(List.of(AckResult.ACKED, AckResult.ACKED, AckResult.ACKED), results);
    assertEquals(new BrokerStats(3, 3, 0, 3, 0, 0, 1, false), broker.stats());
  }

  // ---- acks that are refused ----

  @Test
  void refusesAnAckForAnIdNeverDelivered() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    publish(broker, "x");

    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.ack(subA, 99));
    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.ack(subA, 0));
    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.ack(subA, Frame.Ack.UNASSIGNABLE_ID));
    assertEquals(0, broker.stats().acked());
    assertEquals(1, subA.inFlight());
  }

  @Test
  void refusesAnAckForAMessageStillWaitingToBeDelivered() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    a.setCanAccept(false);
    long id = publish(broker, "x");

    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.ack(subA, id));
    assertEquals(1, broker.stats().ready());
  }

  @Test
  void refusesADuplicateAck() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    long id = publish(broker, "x");

    assertEquals(AckResult.ACKED, broker.ack(subA, id));
    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.ack(subA, id));
    assertEquals(1, broker.stats().acked());
    assertEquals(0, subA.inFlight());
  }

  @Test
  void refusesAnAckFromAConsumerThatDoesNotHoldTheMessage() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    Subscription subB = broker.subscribe(b);
    long id = publish(broker, "x");

    assertEquals(AckResult.NOT_OWNER, broker.ack(subB, id));
    assertEquals(1, broker.stats().inFlight());
    assertEquals(0, subB.inFlight());
    assertEquals(AckResult.ACKED, broker.ack(subA, id));
  }

  @Test
  void refusesAnAckThatArrivesAfterTheMessageWasRequeued() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    long id = publish(broker, "x");
    a.setCanAccept(false);
    pastTheAckTimeout();
    broker.expire();

    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.ack(subA, id));
    assertEquals(0, broker.stats().acked());
    assertEquals(1, broker.stats().ready());
  }

  // ---- draining for shutdown ----

  @Test
  void refusesPublishesOnceDrainingBegins() {
    Broker broker = broker(ROOMY);
    assertTrue(broker.acceptsPublishes());

    broker.beginDrain(() -> drainedCalls++);

    assertFalse(broker.acceptsPublishes());
    assertTrue(broker.stats().draining());
    assertEquals(PublishOutcome.SHUTTING_DOWN, publish(broker, Publication.of(Broker.DEFAULT_TOPIC, "late")));
    assertEquals(0, broker.stats().published());
  }

  @Test
  void dispatchesNothingWhileDraining() {
    Broker broker = broker(1);
    Subscription subA = broker.subscribe(a);
    publish(broker, "1");
    publish(broker, "2");
    broker.beginDrain(() -> drainedCalls++);

    assertEquals(AckResult.ACKED, broker.ack(subA, 1));
    broker.subscribe(b);
    broker.consumerWritable();

    assertEquals(List.of(1L), a.ids());
    assertEquals(List.of(), b.ids());
    assertEquals(1, broker.stats().ready());
  }

  @Test
  void signalsDrainedWhenTheLastInFlightMessageIsAcked() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    publish(broker, "1");
    publish(broker, "2");

    broker.beginDrain(() -> drainedCalls++);
    assertEquals(0, drainedCalls);
    broker.ack(subA, 1);
    assertEquals(0, drainedCalls);
    broker.ack(subA, 2);
    assertEquals(1, drainedCalls);

    broker.ack(subA, 2);
    broker.expire();
    assertEquals(1, drainedCalls, "the callback runs once");
  }

  @Test
  void signalsDrainedAtOnceWhenNothingIsInFlight() {
    Broker broker = broker(ROOMY);
    publish(broker, "waiting, never delivered");

    broker.beginDrain(() -> drainedCalls++);

    assertEquals(1, drainedCalls);
  }

  @Test
  void expiresNothingWhileDraining() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    broker.subscribe(b);
    publish(broker, "x");
    broker.beginDrain(() -> drainedCalls++);
    clock.advance(ACK_TIMEOUT.multipliedBy(3));

    assertEquals(0, broker.expire());

    assertEquals(1, broker.stats().inFlight());
    assertEquals(List.of(), b.ids());
    assertEquals(AckResult.ACKED, broker.ack(subA, 1), "a late ack is still welcome while draining");
    assertEquals(1, drainedCalls);
  }

  @Test
  void signalsDrainedWhenTheLastHolderLeaves() {
    Broker broker = broker(ROOMY);
    Subscription subA = broker.subscribe(a);
    broker.subscribe(b);
    publish(broker, "x");
    broker.beginDrain(() -> drainedCalls++);

    broker.unsubscribe(subA);

    assertEquals(1, drainedCalls);
    assertEquals(List.of(), b.ids());
    assertEquals(1, broker.stats().ready());
  }

  // ---- counters ----

  @Test
  void countsPublishedDeliveredRedeliveredAckedReadyInFlightAndConsumers() {
    Broker broker = broker(ROOMY);
    assertEquals(new BrokerStats(0, 0, 0, 0, 0, 0, 0, false), broker.stats());

    publish(broker, "1");
    publish(broker, "2");
    publish(broker, "3");
    assertEquals(new BrokerStats(3, 0, 0, 0, 3, 0, 0, false), broker.stats());

    Subscription subA = broker.subscribe(a);
    assertEquals(new BrokerStats(3, 3, 0, 0, 0, 3, 1, false), broker.stats());

    broker.ack(subA, 1);
    assertEquals(new BrokerStats(3, 3, 0, 1, 0, 2, 1, false), broker.stats());

    pastTheAckTimeout();
    broker.expire();
    assertEquals(new BrokerStats(3, 5, 2, 1, 0, 2, 1, false), broker.stats());

    broker.ack(subA, 1);
    broker.ack(subA, 99);
    assertEquals(1, broker.stats().acked(), "refused acks are not counted");

    Subscription subB = broker.subscribe(b);
    assertEquals(2, broker.stats().consumers());
    broker.unsubscribe(subB);
    broker.beginDrain(() -> drainedCalls++);
    assertEquals(new BrokerStats(3, 5, 2, 1, 0, 2, 1, true), broker.stats());
  }

  @Test
  void refusesAPolicyWithoutTimeoutOrCredit() {
    assertThrows(IllegalArgumentException.class, () -> new DeliveryPolicy(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new DeliveryPolicy(1, 0));
  }

  // ---- topic limits and declared topics ----

  @Test
  void aFullTopicHoldsItsProducerBackOnlyWithOverflowPause() {
    Broker pausing = new Broker(new DeliveryPolicy(TIMEOUT_NANOS, ROOMY),
        new TopicLimits(2, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE), true, clock);
    assertEquals(PublishOutcome.ACCEPTED, publish(pausing, Publication.of("t", "m1")));
    assertEquals(PublishOutcome.ACCEPTED_TOPIC_FULL, publish(pausing, Publication.of("t", "m2")));

    Broker rejecting = new Broker(new DeliveryPolicy(TIMEOUT_NANOS, ROOMY),
        new TopicLimits(2, Long.MAX_VALUE, TopicLimits.Overflow.REJECT), true, clock);
    assertEquals(PublishOutcome.ACCEPTED, publish(rejecting, Publication.of("t", "m1")));
    // Filling the topic does not pause the producer: its next publish is refused instead.
    assertEquals(PublishOutcome.ACCEPTED, publish(rejecting, Publication.of("t", "m2")));
    assertEquals(PublishOutcome.REJECTED_TOPIC_FULL, publish(rejecting, Publication.of("t", "m3")));
  }

  @Test
  void knowsOnlyDeclaredTopicsWhenTopicsAreNotCreatedOnFirstUse() {
    Broker declared = new Broker(new DeliveryPolicy(TIMEOUT_NANOS, ROOMY), TopicLimits.UNBOUNDED, false, clock);
    declared.createTopic("orders");
    assertTrue(declared.knowsTopic("orders"));
    assertFalse(declared.knowsTopic("nope"));
    assertTrue(broker(ROOMY).knowsTopic("anything"));
  }
}
