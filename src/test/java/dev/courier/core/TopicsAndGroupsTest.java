package dev.courier.core;

import static dev.courier.core.RecordingPublisher.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Topics, groups, credit and topic limits, driven by hand: no sockets, no sleeps. */
class TopicsAndGroupsTest {
  private static final long ACK_TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private final ManualClock clock = new ManualClock();

  private Broker broker(TopicLimits limits, boolean autoCreate) {
    return new Broker(new DeliveryPolicy(ACK_TIMEOUT_NANOS, 10), limits, autoCreate, clock);
  }

  private Broker broker() {
    return broker(TopicLimits.UNBOUNDED, true);
  }

  private static Publication on(String topic, String payload) {
    return Publication.of(topic, payload);
  }

  @Test
  void everyGroupGetsEveryMessageAndEachConsumerHalfOfItsGroups() {
    Broker broker = broker();
    RecordingConsumer a1 = new RecordingConsumer("a1");
    RecordingConsumer a2 = new RecordingConsumer("a2");
    RecordingConsumer b1 = new RecordingConsumer("b1");
    RecordingConsumer b2 = new RecordingConsumer("b2");
    broker.subscribe("orders", "billing", false, 10, a1);
    broker.subscribe("orders", "billing", false, 10, a2);
    broker.subscribe("orders", "shipping", false, 10, b1);
    broker.subscribe("orders", "shipping", false, 10, b2);

    for (int i = 0; i < 4; i++) {
      assertEquals(PublishOutcome.ACCEPTED, publish(broker, on("orders", "m" + i)));
    }

    assertEquals(List.of(1L, 3L), a1.ids());
    assertEquals(List.of(2L, 4L), a2.ids());
    assertEquals(List.of(1L, 3L), b1.ids());
    assertEquals(List.of(2L, 4L), b2.ids());
  }

  @Test
  void topicsAreIndependentStreamsWithTheirOwnIds() {
    Broker broker = broker();
    RecordingConsumer onA = new RecordingConsumer("a");
    RecordingConsumer onB = new RecordingConsumer("b");
    broker.subscribe("a", "g", false, 10, onA);
    broker.subscribe("b", "g", false, 10, onB);

    publish(broker, on("a", "a1"));
    publish(broker, on("b", "b1"));
    publish(broker, on("a", "a2"));

    assertEquals(List.of("a1", "a2"), onA.deliveries().stream().map(RecordingConsumer.Delivery::payload).toList());
    assertEquals(List.of(1L, 2L), onA.ids());
    assertEquals(List.of(1L), onB.ids());
    assertEquals("b", onB.messages().get(0).topic());
  }

  @Test
  void aMessageIsFreedOnlyWhenEveryGroupAckedIt() {
    Broker broker = broker();
    RecordingConsumer first = new RecordingConsumer("first");
    RecordingConsumer second = new RecordingConsumer("second");
    Subscription one = broker.subscribe("t", "one", false, 10, first);
    Subscription two = broker.subscribe("t", "two", false, 10, second);
    publish(broker, on("t", "x"));

    broker.ack(one, 1);
    assertEquals(1, retained(broker, "t"));
    broker.ack(two, 1);
    assertEquals(0, retained(broker, "t"));
  }

  @Test
  void aTopicWithoutGroupsKeepsItsMessagesForTheFirstGroup() {
    Broker broker = broker();
    publish(broker, on("t", "early-1"));
    publish(broker, on("t", "early-2"));
    assertEquals(2, retained(broker, "t"));
    assertEquals(2, broker.stats().ready());

    RecordingConsumer consumer = new RecordingConsumer("c");
    broker.subscribe("t", "g", false, 10, consumer);

    assertEquals(List.of(1L, 2L), consumer.ids());
  }

  @Test
  void aLateGroupStartingEarliestReplaysWhatTheTopicStillHolds() {
    Broker broker = broker();
    RecordingConsumer slow = new RecordingConsumer("slow");
    broker.subscribe("t", "slow", false, 10, slow);
    publish(broker, on("t", "1"));
    publish(broker, on("t", "2"));

    RecordingConsumer late = new RecordingConsumer("late");
    broker.subscribe("t", "late", false, 10, late);

    assertEquals(List.of(1L, 2L), late.ids());
  }

  @Test
  void aLateGroupStartingLatestSeesOnlyNewMessages() {
    Broker broker = broker();
    RecordingConsumer slow = new RecordingConsumer("slow");
    broker.subscribe("t", "slow", false, 10, slow);
    publish(broker, on("t", "1"));

    RecordingConsumer late = new RecordingConsumer("late");
    broker.subscribe("t", "late", true, 10, late);
    assertEquals(List.of(), late.ids());

    publish(broker, on("t", "2"));
    assertEquals(List.of(2L), late.ids());
  }

  @Test
  void aFirstGroupStartingLatestLetsTheBacklogGo() {
    Broker broker = broker();
    publish(broker, on("t", "old"));
    RecordingConsumer consumer = new RecordingConsumer("c");
    broker.subscribe("t", "g", true, 10, consumer);

    assertEquals(List.of(), consumer.ids());
    assertEquals(0, retained(broker, "t"));
  }

  @Test
  void prefetchOneAlternatesStrictlyBetweenTwoConsumers() {
    Broker broker = broker();
    RecordingConsumer a = new RecordingConsumer("a");
    RecordingConsumer b = new RecordingConsumer("b");
    Subscription sa = broker.subscribe("t", "g", false, 1, a);
    Subscription sb = broker.subscribe("t", "g", false, 1, b);
    for (int i = 0; i < 6; i++) {
      publish(broker, on("t", "m" + i));
    }
    assertEquals(List.of(1L), a.ids());
    assertEquals(List.of(2L), b.ids());

    broker.ack(sa, 1);
    broker.ack(sb, 2);
    broker.ack(sa, 3);
    broker.ack(sb, 4);

    assertEquals(List.of(1L, 3L, 5L), a.ids());
    assertEquals(List.of(2L, 4L, 6L), b.ids());
  }

  @Test
  void creditZeroPausesAConsumerAndMoreCreditResumesIt() {
    Broker broker = broker();
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    broker.setCredit(subscription, 0);
    publish(broker, on("t", "1"));
    publish(broker, on("t", "2"));
    assertEquals(List.of(), consumer.ids());

    broker.setCredit(subscription, 1);
    assertEquals(List.of(1L), consumer.ids());
    broker.setCredit(subscription, 5);
    assertEquals(List.of(1L, 2L), consumer.ids());
  }

  @Test
  void creditIsCappedByTheBrokersInFlightLimit() {
    Broker broker = broker();
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 1_000, consumer);
    assertEquals(10, subscription.credit());
    broker.setCredit(subscription, Long.MAX_VALUE);
    assertEquals(10, subscription.credit());
  }

  @Test
  void aTimeoutInOneGroupRedeliversOnlyInThatGroup() {
    Broker broker = broker();
    RecordingConsumer acking = new RecordingConsumer("acking");
    RecordingConsumer stalled = new RecordingConsumer("stalled");
    Subscription fast = broker.subscribe("t", "fast", false, 10, acking);
    broker.subscribe("t", "slow", false, 10, stalled);
    publish(broker, on("t", "x"));
    broker.ack(fast, 1);

    clock.advanceNanos(ACK_TIMEOUT_NANOS);
    assertEquals(1, broker.expire());

    assertEquals(List.of(1L), acking.ids());
    assertEquals(List.of(new RecordingConsumer.Delivery(1, "x", 1), new RecordingConsumer.Delivery(1, "x", 2)),
        stalled.deliveries());
  }

  @Test
  void aFullTopicAsksItsProducerToPauseAndWakesItBelowTheLowWatermark() {
    Broker broker = broker(new TopicLimits(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE), true);
    RecordingPublisher producer = new RecordingPublisher(broker);
    for (int i = 0; i < 9; i++) {
      assertEquals(PublishOutcome.ACCEPTED, producer.publishAndSee(on("t", "m" + i)));
    }
    assertEquals(PublishOutcome.ACCEPTED_TOPIC_FULL, producer.publishAndSee(on("t", "m9")));
    assertTrue(producer.handle.isPaused());
    long[] resumed = {0};
    Runnable count = () -> resumed[0] = producer.count("resumed");
    count.run();
    assertEquals(0, resumed[0]);

    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    broker.ack(subscription, 1);
    count.run();
    assertEquals(0, resumed[0], "9 of 10 retained is not below the 90 % watermark");
    broker.ack(subscription, 2);
    count.run();
    assertEquals(1, resumed[0]);
    assertFalse(producer.handle.isPaused());
    broker.ack(subscription, 3);
    count.run();
    assertEquals(1, resumed[0], "a resume is called once");
  }

  @Test
  void aFullTopicInRejectModeRefusesAndKeepsNothing() {
    Broker broker = broker(new TopicLimits(2, Long.MAX_VALUE, TopicLimits.Overflow.REJECT), true);
    publish(broker, on("t", "1"));
    publish(broker, on("t", "2"));
    assertEquals(PublishOutcome.REJECTED_TOPIC_FULL, publish(broker, on("t", "3")));
    assertEquals(2, retained(broker, "t"));
    assertEquals(2, broker.stats().published());
  }

  @Test
  void theByteLimitCountsPayloadKeyAndHeaders() {
    Broker broker = broker(new TopicLimits(1_000, 20, TopicLimits.Overflow.REJECT), true);
    Publication tenBytes = new Publication("t", "12345", "ab", Map.of("h", "12"), false);
    assertEquals(10, new Message(1, "t", "12345", "ab", Map.of("h", "12"), false, 0).sizeBytes());
    assertEquals(PublishOutcome.ACCEPTED, publish(broker, tenBytes));
    // The second fills the topic; in reject mode that holds nobody back, the third is refused.
    assertEquals(PublishOutcome.ACCEPTED, publish(broker, tenBytes));
    assertEquals(PublishOutcome.REJECTED_TOPIC_FULL, publish(broker, tenBytes));
  }

  @Test
  void withoutAutoCreateOnlyDeclaredTopicsExist() {
    Broker broker = broker(TopicLimits.UNBOUNDED, false);
    broker.createTopic("declared");
    assertEquals(PublishOutcome.UNKNOWN_TOPIC, publish(broker, on("nope", "x")));
    assertNull(broker.subscribe("nope", "g", false, 10, new RecordingConsumer("c")));
    assertEquals(PublishOutcome.ACCEPTED, publish(broker, on("declared", "x")));
    assertTrue(broker.topicStats().stream().noneMatch(t -> t.name().equals("nope")));
  }

  @Test
  void publishingWhileDrainingIsRefused() {
    Broker broker = broker();
    broker.beginDrain(() -> { });
    assertEquals(PublishOutcome.SHUTTING_DOWN, publish(broker, on("t", "x")));
    assertFalse(broker.acceptsPublishes());
  }

  @Test
  void statsDescribeEveryTopicAndGroup() {
    Broker broker = broker();
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 1, consumer);
    publish(broker, on("t", "1"));
    clock.advance(Duration.ofMillis(250));
    publish(broker, on("t", "2"));
    clock.advance(Duration.ofMillis(100));
    broker.ack(subscription, 1);
    broker.setCredit(subscription, 0);
    publish(broker, on("t", "3"));

    TopicStats topic = broker.topicStats().get(0);
    assertEquals("t", topic.name());
    assertEquals(3, topic.published());
    assertEquals(2, topic.retainedMessages());
    GroupStats group = topic.groups().get(0);
    assertEquals(new GroupStats("g", 1, 1, 1, 2, 1, 0, 0), group);
  }

  private static long retained(Broker broker, String topic) {
    return broker.topicStats().stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow()
        .retainedMessages();
  }
}
