package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The topic limits stay exact with durable storage, where a publish is admitted first and
 * committed only once it is on disk: admitted publishes count, a publish that finds the topic full
 * is held (not admitted) with {@code overflow: pause}, and paused producers resume in turn.
 */
class ExactLimitsTest {
  private static final long ACK_TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private final ManualClock clock = new ManualClock();

  private Broker broker(long maxMessages, long maxBytes, TopicLimits.Overflow overflow) {
    return new Broker(new DeliveryPolicy(ACK_TIMEOUT_NANOS, 1_000), new TopicLimits(maxMessages, maxBytes, overflow),
        true, clock);
  }

  private static Publication on(String payload) {
    return Publication.of("t", payload);
  }

  /** Commits an admitted publication as storage would once it is on disk. */
  private void commit(Broker broker, Publication publication) {
    broker.commit(publication, broker.nextId(publication.topic()), clock.wallMillis());
  }

  private static TopicStats topic(Broker broker) {
    return broker.topicStats().stream().filter(t -> t.name().equals("t")).findFirst().orElseThrow();
  }

  @Test
  void aPublishThatFindsTheTopicFullOfUncommittedPublishesIsHeldNotAdmitted() {
    Broker broker = broker(3, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    assertEquals(PublishOutcome.ACCEPTED, broker.admit(on("1")));
    assertEquals(PublishOutcome.ACCEPTED, broker.admit(on("2")));
    assertEquals(PublishOutcome.ACCEPTED_TOPIC_FULL, broker.admit(on("3")));
    // Nothing is committed yet, but the three on their way to disk fill the topic.
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, broker.admit(on("4")));
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, broker.admit(on("5")));
    for (String payload : List.of("1", "2", "3")) {
      commit(broker, on(payload));
    }
    assertEquals(3, topic(broker).retainedMessages());
    assertEquals(3, topic(broker).published());
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, broker.admit(on("4")));
  }

  @Test
  void aProducerPausedWhileItsPublishesAreOnTheirWayToDiskIsNotResumedAtOnce() {
    Broker broker = broker(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    List<Publication> admitted = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      admitted.add(on("m" + i));
      broker.admit(admitted.get(i - 1));
    }
    int[] resumed = {0};
    broker.awaitSpace("t", () -> resumed[0]++);
    assertEquals(0, resumed[0], "ten admitted but uncommitted publishes fill the topic");
    admitted.forEach(p -> commit(broker, p));
    assertEquals(0, resumed[0]);

    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    broker.ack(subscription, 1);
    assertEquals(0, resumed[0], "9 of 10 is not below the 90 % watermark");
    broker.ack(subscription, 2);
    assertEquals(1, resumed[0]);
  }

  @Test
  void uncommittedPublishesKeepAPausedProducerWaitingBelowTheWatermarkOfCommittedOnes() {
    Broker broker = broker(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 10, consumer);
    for (int i = 1; i <= 5; i++) {
      broker.publish(on("m" + i));
    }
    for (int i = 6; i <= 10; i++) {
      broker.admit(on("m" + i)); // still on their way to disk
    }
    int[] resumed = {0};
    broker.awaitSpace(on("held"), () -> resumed[0]++);
    assertEquals(0, resumed[0], "5 committed are below the watermark, but 5 more are on their way");
    broker.ack(subscription, 1);
    assertEquals(0, resumed[0], "4 committed and 5 pending are 9: not below the 90 % watermark");
    broker.ack(subscription, 2);
    assertEquals(1, resumed[0]);
  }

  @Test
  void aHeldPublicationResumesOnlyOnceItFitsAndIsThenAdmitted() {
    Broker broker = broker(1_000, 100, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 100, consumer);
    for (int i = 0; i < 4; i++) {
      assertTrue(broker.publish(on("x".repeat(20))).isAccepted());
    }
    Publication big = on("y".repeat(50));
    assertEquals(PublishOutcome.HELD_TOPIC_FULL, broker.admit(big), "80 + 50 bytes would pass the 100-byte limit");
    List<PublishOutcome> admittedOnResume = new ArrayList<>();
    broker.awaitSpace(big, () -> admittedOnResume.add(broker.admit(big)));

    broker.ack(subscription, 1);
    assertEquals(List.of(), admittedOnResume, "60 bytes held: below the watermark, but 50 more do not fit");
    broker.ack(subscription, 2);
    assertEquals(List.of(PublishOutcome.ACCEPTED), admittedOnResume);
    commit(broker, big);
    assertEquals(90, topic(broker).retainedBytes());
  }

  @Test
  void pausedProducersResumeInTheOrderTheyPausedAndOnlyAsManyAsFit() {
    Broker broker = broker(10, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 100, consumer);
    for (int i = 1; i <= 10; i++) {
      broker.publish(on("m" + i));
    }
    List<String> resumed = new ArrayList<>();
    for (String producer : List.of("first", "second", "third")) {
      Publication held = on(producer);
      assertEquals(PublishOutcome.HELD_TOPIC_FULL, broker.admit(held));
      broker.awaitSpace(held, () -> {
        resumed.add(producer);
        assertTrue(broker.admit(held).isAccepted()); // a resume admits what it held, at once
      });
    }

    broker.ack(subscription, 1);
    broker.ack(subscription, 2);
    assertEquals(List.of("first", "second"), resumed, "8 retained: room for two");
    assertEquals(8, topic(broker).retainedMessages(), "the two admitted are on their way, not committed");
    assertTrue(topic(broker).full(), "and they count");
    broker.ack(subscription, 3);
    broker.ack(subscription, 4);
    assertEquals(List.of("first", "second", "third"), resumed);
  }

  @Test
  void aResumedProducerThatStillFindsNoRoomWaitsAgain() {
    Broker broker = broker(2, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription subscription = broker.subscribe("t", "g", false, 100, consumer);
    broker.publish(on("m1"));
    broker.publish(on("m2"));
    int[] resumes = {0};
    Runnable[] resume = new Runnable[1];
    Publication held = on("held");
    resume[0] = () -> {
      resumes[0]++;
      // Another producer took the room first (as a producer resumed earlier in the round may).
      broker.publish(on("other"));
      assertEquals(PublishOutcome.HELD_TOPIC_FULL, broker.admit(held));
      broker.awaitSpace(held, resume[0]);
    };
    broker.awaitSpace(held, resume[0]);
    broker.ack(subscription, 1);
    assertEquals(1, resumes[0], "after the other publish the topic is full again: no second resume");
    assertEquals(2, topic(broker).retainedMessages());
    broker.ack(subscription, 2);
    assertEquals(2, resumes[0], "room again: resumed again");
  }

  @Test
  void rejectModeCountsPublishesStillOnTheirWayToDisk() {
    Broker broker = broker(2, Long.MAX_VALUE, TopicLimits.Overflow.REJECT);
    Publication first = on("1");
    assertEquals(PublishOutcome.ACCEPTED, broker.admit(first));
    assertEquals(PublishOutcome.ACCEPTED, broker.admit(on("2")));
    assertEquals(PublishOutcome.REJECTED_TOPIC_FULL, broker.admit(on("3")));
    broker.abandon(first); // storage could not keep it: its room is free again
    assertEquals(PublishOutcome.ACCEPTED, broker.admit(on("3")));
  }

  @Test
  void rejectModeKeepsTheByteLimitExactToo() {
    Broker broker = broker(1_000, 100, TopicLimits.Overflow.REJECT);
    assertEquals(PublishOutcome.ACCEPTED, broker.admit(on("x".repeat(60))));
    assertEquals(PublishOutcome.REJECTED_TOPIC_FULL, broker.admit(on("y".repeat(41))), "60 + 41 > 100");
    assertEquals(PublishOutcome.ACCEPTED, broker.admit(on("z".repeat(40))), "60 + 40 = 100 fits");
  }

  @Test
  void aMessageLargerThanTheWholeTopicIsRefusedRatherThanHeldForever() {
    Broker broker = broker(1_000, 10, TopicLimits.Overflow.PAUSE);
    assertEquals(PublishOutcome.REJECTED_LARGER_THAN_TOPIC, broker.admit(on("x".repeat(11))));
    assertEquals(PublishOutcome.ACCEPTED_TOPIC_FULL, broker.admit(on("x".repeat(10))));
  }

  @Test
  void drainingResumesHeldProducersSoThatTheirPublishesAreRefused() {
    Broker broker = broker(1, Long.MAX_VALUE, TopicLimits.Overflow.PAUSE);
    broker.publish(on("m1"));
    Publication held = on("held");
    List<PublishOutcome> outcomes = new ArrayList<>();
    broker.awaitSpace(held, () -> outcomes.add(broker.admit(held)));
    broker.beginDrain(() -> { });
    assertEquals(List.of(PublishOutcome.SHUTTING_DOWN), outcomes);
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
    ArrayDeque<Publication> onTheirWayToDisk = new ArrayDeque<>();
    List<SimulatedProducer> producers = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      producers.add(new SimulatedProducer(broker, "p" + p, perProducer, onTheirWayToDisk));
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
        for (int n = random.nextInt(8); n > 0 && !onTheirWayToDisk.isEmpty(); n--) {
          commit(broker, onTheirWayToDisk.poll());
        }
      } else if (subscription == null && step > 2_000) {
        subscription = broker.subscribe("t", "g", false, 50, consumer);
      } else if (subscription != null && acked < consumer.ids().size()) {
        broker.ack(subscription, consumer.ids().get(acked++));
      }
      TopicStats stats = topic(broker);
      maxRetained = (int) Math.max(maxRetained, stats.retainedMessages());
      assertTrue(stats.retainedMessages() + onTheirWayToDisk.size() <= limit,
          "retained " + stats.retainedMessages() + " + pending " + onTheirWayToDisk.size() + " at step " + step);
    }
    assertEquals(limit, maxRetained, "the topic did fill up before the consumer started");
    assertEquals(3 * perProducer, acked);
    for (SimulatedProducer producer : producers) {
      assertEquals(perProducer, producer.admitted, producer.name);
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

  /** A producer as a connection drives the broker: it holds a publish the topic has no room for. */
  private static final class SimulatedProducer {
    final String name;
    private final Broker broker;
    private final int total;
    private final ArrayDeque<Publication> onTheirWayToDisk;
    private final Runnable resume = this::resumed;
    private Publication held;
    private boolean paused;
    int next;
    int admitted;

    SimulatedProducer(Broker broker, String name, int total, ArrayDeque<Publication> onTheirWayToDisk) {
      this.broker = broker;
      this.name = name;
      this.total = total;
      this.onTheirWayToDisk = onTheirWayToDisk;
    }

    void publishNext() {
      if (!paused && next < total) {
        admit(Publication.of("t", name + "-" + next++));
      }
    }

    private void admit(Publication publication) {
      PublishOutcome outcome = broker.admit(publication);
      switch (outcome) {
        case ACCEPTED -> accepted(publication);
        case ACCEPTED_TOPIC_FULL -> {
          accepted(publication);
          paused = true;
          broker.awaitSpace("t", resume);
        }
        case HELD_TOPIC_FULL -> {
          held = publication;
          paused = true;
          broker.awaitSpace(publication, resume);
        }
        default -> throw new AssertionError(name + " got " + outcome);
      }
    }

    private void accepted(Publication publication) {
      admitted++;
      onTheirWayToDisk.add(publication);
    }

    private void resumed() {
      paused = false;
      Publication publication = held;
      held = null;
      if (publication != null) {
        admit(publication);
      }
    }
  }
}
