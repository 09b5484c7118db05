package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The topic limits stay exact with durable storage, where a publish is admitted first and
 * committed only once it is on disk: admitted publishes count, a publish that finds the topic full
 * is held (not admitted) with {@code overflow: pause}, and paused producers resume in turn. The
 * broker runs on a fake storage whose appends wait until the test stores them.
 */
class ExactLimitsTest {
  private static final long ACK_TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock, false);

  private Broker broker(long maxMessages, long maxBytes, TopicLimits.Overflow overflow) {
    storage.holdAppends();
    return storage.broker(new BrokerRules(new DeliveryPolicy(ACK_TIMEOUT_NANOS, 1_000),
        new TopicLimits(maxMessages, maxBytes, overflow), true, Long.MAX_VALUE));
  }

  private static Publication on(String payload) {
    return Publication.of("t", payload);
  }

  /** Publishes and stores at once, as if the disk were instant. */
  private void publishStored(Broker broker, String payload) {
    new RecordingPublisher(broker).publish(on(payload));
    storage.storeNext();
  }

  private static TopicStats topic(Broker broker) {
    return broker.topicStats().stream().filter(t -> t.name().equals("t")).findFirst().orElseThrow();
  }

  @Test
  void aPublishThatFindsTheTopicFullOfUncommittedPublishesIsHeldNotAdmitted() {
    Broker broker = broker(3, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    assertEquals(PublishOutcome.ACCEPTED, RecordingPublisher.publish(broker, on("1")));
    assertEquals(PublishOutcome.ACCEPTED, RecordingPublisher.publish(broker, on("2")));
    assertEquals(PublishOutcome.ACCEPTED_TOPIC_FULL, RecordingPublisher.publish(broker, on("3")));
    // Nothing is committed yet, but the three on their way to disk fill the topic.
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, RecordingPublisher.publish(broker, on("4")));
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, RecordingPublisher.publish(broker, on("5")));
    assertEquals(3, storage.pendingAppends(), "held publishes never reach storage");
    for (int i = 0; i < 3; i++) {
      storage.storeNext();
    }
    assertEquals(3, topic(broker).retainedMessages());
    assertEquals(3, topic(broker).published());
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, RecordingPublisher.publish(broker, on("4")));
  }

  @Test
  void aProducerPausedWhileItsPublishesAreOnTheirWayToDiskIsNotResumedAtOnce() {
    Broker broker = broker(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingPublisher producer = new RecordingPublisher(broker);
    for (int i = 1; i <= 10; i++) {
      producer.publish(on("m" + i));
    }
    assertEquals(List.of("paused t"), producer.events(), "ten admitted but uncommitted publishes fill the topic");
    for (int i = 0; i < 10; i++) {
      storage.storeNext();
    }
    assertEquals(0, producer.count("resumed"));
    assertEquals(10, producer.stored().size());

    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    broker.ack(subscription, 1);
    assertEquals(0, producer.count("resumed"), "9 of 10 is not below the 90 % watermark");
    broker.ack(subscription, 2);
    assertEquals(1, producer.count("resumed"));
  }

  @Test
  void uncommittedPublishesKeepAPausedProducerWaitingBelowTheWatermarkOfCommittedOnes() {
    Broker broker = broker(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    for (int i = 1; i <= 5; i++) {
      publishStored(broker, "m" + i);
    }
    for (int i = 6; i <= 10; i++) {
      RecordingPublisher.publish(broker, on("m" + i)); // still on their way to disk
    }
    RecordingPublisher producer = new RecordingPublisher(broker);
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, producer.publishAndSee(on("held")));
    broker.ack(subscription, 1);
    assertEquals(0, producer.count("resumed"), "4 committed and 5 pending are 9: not below the 90 % watermark");
    broker.ack(subscription, 2);
    assertEquals(1, producer.count("resumed"));
    assertEquals(6, storage.pendingAppends(), "the held publish was admitted on resume");
  }

  @Test
  void aHeldPublicationResumesOnlyOnceItFitsAndIsThenAdmitted() {
    Broker broker = broker(1_000, 100, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 100, consumer);
    for (int i = 0; i < 4; i++) {
      publishStored(broker, "x".repeat(20));
    }
    RecordingPublisher producer = new RecordingPublisher(broker);
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, producer.publishAndSee(on("y".repeat(50))),
        "80 + 50 bytes would pass the 100-byte limit");

    broker.ack(subscription, 1);
    assertEquals(0, storage.pendingAppends(), "60 bytes held: below the watermark, but 50 more do not fit");
    broker.ack(subscription, 2);
    assertEquals(1, storage.pendingAppends());
    storage.storeNext();
    assertEquals(List.of("paused t", "resumed", "stored 5"), producer.events());
    assertEquals(90, topic(broker).retainedBytes());
  }

  @Test
  void pausedProducersResumeInTheOrderTheyPausedAndOnlyAsManyAsFit() {
    Broker broker = broker(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 100, consumer);
    for (int i = 1; i <= 10; i++) {
      publishStored(broker, "m" + i);
    }
    List<RecordingPublisher> producers = new ArrayList<>();
    for (String name : List.of("first", "second", "third")) {
      RecordingPublisher producer = new RecordingPublisher(broker);
      assertEquals(PublishOutcome.HELD_TOPIC_FULL, producer.publishAndSee(on(name)));
      producers.add(producer);
    }

    broker.ack(subscription, 1);
    broker.ack(subscription, 2);
    assertEquals(List.of(true, true, false), admitted(producers), "8 retained: room for two");
    assertEquals(2, storage.pendingAppends(), "a resume admits what it held, at once");
    assertEquals(8, topic(broker).retainedMessages(), "the two admitted are on their way, not committed");
    assertTrue(topic(broker).full(), "and they count");
    assertEquals(List.of("paused t", "resumed"), producers.get(0).events());
    assertEquals(List.of("paused t"), producers.get(1).events(), "its publish filled the topic: still paused");
    broker.ack(subscription, 3);
    broker.ack(subscription, 4);
    assertEquals(List.of(true, true, true), admitted(producers));
  }

  private static List<Boolean> admitted(List<RecordingPublisher> producers) {
    return producers.stream().map(p -> p.handle.held.isEmpty()).toList();
  }

  @Test
  void aResumedProducerThatStillFindsNoRoomWaitsAgain() {
    Broker broker = broker(2, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 100, consumer);
    publishStored(broker, "m1");
    RecordingPublisher other = new RecordingPublisher(broker);
    RecordingPublisher producer = new RecordingPublisher(broker);
    assertEquals(PublishOutcome.ACCEPTED_TOPIC_FULL, other.publishAndSee(on("m2")));
    storage.storeNext();
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, producer.publishAndSee(on("held")));
    broker.ack(subscription, 1);
    // The other producer paused first, so it resumes first and takes the room (one publish).
    assertEquals(1, other.count("resumed"));
    assertEquals(0, producer.count("resumed"));
    other.publish(on("other"));
    assertEquals(0, producer.count("resumed"), "after the other publish the topic is full again: no resume");
    storage.storeNext();
    assertEquals(2, topic(broker).retainedMessages());
    broker.ack(subscription, 2);
    assertEquals(1, producer.count("resumed"), "room again: resumed, its held publish admitted");
    assertEquals(1, storage.pendingAppends());
  }

  @Test
  void rejectModeCountsPublishesStillOnTheirWayToDisk() {
    Broker broker = broker(2, Long.MAX_VALUE, TopicLimits.Overflow.REJECT);
    RecordingPublisher producer = new RecordingPublisher(broker);
    assertEquals(PublishOutcome.ACCEPTED, producer.publishAndSee(on("1")));
    assertEquals(PublishOutcome.ACCEPTED, producer.publishAndSee(on("2")));
    assertEquals(PublishOutcome.REJECTED_TOPIC_FULL, RecordingPublisher.publish(broker, on("3")));
    storage.failNext("disk full"); // storage could not keep it: its room is free again
    assertEquals(PublishOutcome.ACCEPTED, RecordingPublisher.publish(broker, on("3")));
    assertEquals(List.of("refused STORAGE_FAILED"), producer.events());
  }

  @Test
  void rejectModeKeepsTheByteLimitExactToo() {
    Broker broker = broker(1_000, 100, TopicLimits.Overflow.REJECT);
    assertEquals(PublishOutcome.ACCEPTED, RecordingPublisher.publish(broker, on("x".repeat(60))));
    assertEquals(PublishOutcome.REJECTED_TOPIC_FULL, RecordingPublisher.publish(broker, on("y".repeat(41))),
        "60 + 41 > 100");
    assertEquals(PublishOutcome.ACCEPTED, RecordingPublisher.publish(broker, on("z".repeat(40))), "60 + 40 = 100 fits");
  }

  @Test
  void aMessageLargerThanTheWholeTopicIsRefusedRatherThanHeldForever() {
    Broker broker = broker(1_000, 10, TopicLimits.Overflow.PAUSE);
    assertEquals(PublishOutcome.REJECTED_LARGER_THAN_TOPIC, RecordingPublisher.publish(broker, on("x".repeat(11))));
    assertEquals(PublishOutcome.ACCEPTED_TOPIC_FULL, RecordingPublisher.publish(broker, on("x".repeat(10))));
  }

  @Test
  void drainingResumesHeldProducersSoThatTheirPublishesAreRefused() {
    Broker broker = broker(1, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    publishStored(broker, "m1");
    RecordingPublisher producer = new RecordingPublisher(broker);
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, producer.publishAndSee(on("held")));
    broker.beginDrain(() -> { });
    assertEquals(List.of("paused t", "refused SHUTTING_DOWN", "resumed"), producer.events());
  }

  @Test
  void outcomesReachTheProducerInItsPublishOrderWhateverStorageDoes() {
    Broker broker = broker(2, Long.MAX_VALUE, TopicLimits.Overflow.REJECT);
    RecordingPublisher producer = new RecordingPublisher(broker);
    producer.publish(on("1"));
    producer.publish(on("2"));
    producer.publish(on("3")); // refused at once, told after the two before it
    assertEquals(List.of(), producer.events());
    storage.storeNext();
    assertEquals(List.of("stored 1"), producer.events());
    storage.failNext("disk full");
    assertEquals(List.of("stored 1", "refused STORAGE_FAILED", "refused TOPIC_FULL"), producer.events());
  }

  @Test
  void publishesMadeWhileOneIsHeldWaitBehindItAndKeepTheirOrder() {
    Broker broker = broker(1, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    publishStored(broker, "m1");
    RecordingPublisher producer = new RecordingPublisher(broker);
    producer.publish(on("held"));
    producer.publish(on("behind it"));
    assertEquals(0, storage.pendingAppends(), "neither is admitted while the topic is full");

    broker.ack(subscription, 1);
    storage.storeNext();
    assertEquals(List.of("paused t", "stored 2"), producer.events(), "the held one first; the next filled the topic");
    broker.ack(subscription, 2);
    storage.storeNext();
    assertEquals(List.of("paused t", "stored 2", "stored 3"), producer.events(), "it filled the topic again");
    broker.ack(subscription, 3);
    assertEquals(List.of("paused t", "stored 2", "stored 3", "resumed"), producer.events());
    assertEquals(List.of("m1", "held", "behind it"), consumer.deliveries().stream()
        .map(RecordingConsumer.Delivery::payload).toList());
  }

  @Test
  void aMessageStoredAfterItsProducerClosedIsStillDelivered() {
    Broker broker = broker(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    broker.subscribe("t", "g", false, 10, consumer);
    RecordingPublisher producer = new RecordingPublisher(broker);
    producer.publish(on("in flight to disk"));
    assertEquals(0, broker.closePublisher(producer.handle));
    storage.storeNext();
    assertEquals(List.of(1L), consumer.ids(), "stored is stored");
    assertEquals(List.of(), producer.events(), "nobody is told");
  }

  @Test
  void closingAPublisherDropsWhatItHeldUnadmitted() {
    Broker broker = broker(1, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    publishStored(broker, "m1");
    RecordingPublisher producer = new RecordingPublisher(broker);
    producer.publish(on("held"));
    producer.publish(on("behind it"));
    assertEquals(2, broker.closePublisher(producer.handle));
    broker.ack(subscription, 1);
    assertEquals(0, storage.pendingAppends(), "nothing held is admitted once its producer is gone");
    assertEquals(List.of("paused t"), producer.events());
  }

  /**
   * Three producers pipelining through storage that commits in batches at random moments, and a
   * consumer that starts late and acks at random: the topic never holds more than its limit, and
   * every publish is eventually admitted and delivered once, in each producer's order.
   */
  @Test
  void retainedNeverPassesTheLimitWhilePipelinedProducersWaitForDurableCommits() {
    int limit = 100;
    int perProducer = 300;
    Broker broker = broker(limit, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    Random random = new Random(8);
    List<SimulatedProducer> producers = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      producers.add(new SimulatedProducer(broker, "p" + p, perProducer));
    }
    RecordingConsumer consumer = new RecordingConsumer("late");
    Subscription subscription = null;
    int acked = 0;
    int maxRetained = 0;
    for (int step = 0; step < 100_000 && acked < 3 * perProducer; step++) {
      int action = random.nextInt(10);
      if (action < 5) {
        producers.get(random.nextInt(3)).publishNext();
      } else if (action < 8) {
        for (int n = random.nextInt(8); n > 0 && storage.pendingAppends() > 0; n--) {
          storage.storeNext();
        }
      } else if (subscription == null && step > 2_000) {
        subscription = broker.subscribe("t", "g", false, 50, consumer);
      } else if (subscription != null && acked < consumer.ids().size()) {
        broker.ack(subscription, consumer.ids().get(acked++));
      }
      TopicStats stats = topic(broker);
      maxRetained = (int) Math.max(maxRetained, stats.retainedMessages());
      assertTrue(stats.retainedMessages() + storage.pendingAppends() <= limit,
          "retained " + stats.retainedMessages() + " + pending " + storage.pendingAppends() + " at step " + step);
    }
    assertEquals(limit, maxRetained, "the topic did fill up before the consumer started");
    assertEquals(3 * perProducer, acked);
    for (SimulatedProducer producer : producers) {
      assertEquals(perProducer, producer.stored().size(), producer.name);
      List<String> delivered = consumer.deliveries().stream().map(RecordingConsumer.Delivery::payload)
          .filter(payload -> payload.startsWith(producer.name + "-")).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perProducer; i++) {
        expected.add(producer.name + "-" + i);
      }
      assertEquals(expected, delivered, producer.name + "'s messages, each once, in its order");
    }
    assertFalse(topic(broker).full());
  }

  /** A producer as a connection drives the broker: it publishes nothing while the core says it is paused. */
  private static final class SimulatedProducer extends RecordingPublisher {
    final String name;
    private final int total;
    int next;

    SimulatedProducer(Broker broker, String name, int total) {
      super(broker);
      this.name = name;
      this.total = total;
    }

    void publishNext() {
      if (!handle.isPaused() && next < total) {
        publish(Publication.of("t", name + "-" + next++));
      }
    }
  }
}
