package dev.courier.core;

import static dev.courier.core.RecordingPublisher.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code max_topics} and {@code max_groups_per_topic}: what clients may create, and what is never refused. */
class QuotasTest {
  private final ManualClock clock = new ManualClock();

  private Broker broker(int maxTopics, int maxGroupsPerTopic) {
    Broker broker = new Broker(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 10), TopicLimits.UNBOUNDED, true,
        clock);
    broker.useQuotas(new Quotas(maxTopics, maxGroupsPerTopic));
    return broker;
  }

  @Test
  void aPublishThatWouldCreateATopicPastMaxTopicsIsRefusedAndExistingTopicsKeepWorking() {
    Broker broker = broker(2, 10);
    assertEquals(PublishOutcome.ACCEPTED, publish(broker, Publication.of("a", "1")));
    assertEquals(PublishOutcome.ACCEPTED, publish(broker, Publication.of("b", "1")));

    assertEquals(PublishOutcome.REJECTED_TOO_MANY_TOPICS, publish(broker, Publication.of("c", "1")));
    assertEquals(SubscribeCheck.TOO_MANY_TOPICS, broker.checkSubscribe("c", "g"));
    assertNull(broker.subscribe("c", "g", false, 10, new RecordingConsumer("c")));
    assertEquals(List.of("a", "b"), broker.topicStats().stream().map(TopicStats::name).toList(), "nothing created");

    assertEquals(PublishOutcome.ACCEPTED, publish(broker, Publication.of("a", "2")));
    RecordingConsumer consumer = new RecordingConsumer("consumer");
    assertEquals(SubscribeCheck.ALLOWED, broker.checkSubscribe("b", "g"));
    assertNotNull(broker.subscribe("b", "g", false, 10, consumer));
    assertEquals(List.of(1L), consumer.ids());
  }

  @Test
  void aConsumerThatWouldCreateAGroupPastTheQuotaIsRefusedAndExistingGroupsKeepWorking() {
    Broker broker = broker(10, 2);
    broker.subscribe("t", "one", false, 10, new RecordingConsumer("1"));
    broker.subscribe("t", "two", false, 10, new RecordingConsumer("2"));

    assertEquals(SubscribeCheck.TOO_MANY_GROUPS, broker.checkSubscribe("t", "three"));
    assertNull(broker.subscribe("t", "three", false, 10, new RecordingConsumer("3")));

    RecordingConsumer another = new RecordingConsumer("another");
    assertEquals(SubscribeCheck.ALLOWED, broker.checkSubscribe("t", "one"));
    assertNotNull(broker.subscribe("t", "one", false, 10, another), "a second consumer of an existing group");
    assertEquals(SubscribeCheck.ALLOWED, broker.checkSubscribe("other", "three"), "the quota is per topic");
    publish(broker, Publication.of("t", "x"));
    assertEquals(2, broker.topicStats().get(0).groups().size());
  }

  @Test
  void declaredAndRecoveredTopicsCountAgainstMaxTopicsButAreNeverRefused() {
    Broker broker = broker(2, 10);
    broker.restore(RestoredTopic.empty("recovered", 1, List.of()));
    broker.createTopic("declared-1");
    broker.createTopic("declared-2");
    assertEquals(3, broker.topicStats().size());

    assertEquals(PublishOutcome.ACCEPTED, publish(broker, Publication.of("recovered", "1")));
    assertEquals(PublishOutcome.ACCEPTED, publish(broker, Publication.of("declared-2", "1")));
    assertEquals(PublishOutcome.REJECTED_TOO_MANY_TOPICS, publish(broker, Publication.of("new", "1")));
  }

  @Test
  void recoveredGroupsPastTheQuotaKeepWorkingWhileNewOnesAreRefused() {
    Broker broker = broker(10, 1);
    List<GroupPosition> positions = List.of(new GroupPosition("a", 1, List.of(), Set.of()),
        new GroupPosition("b", 1, List.of(), Set.of()));
    broker.restore(RestoredTopic.empty("t", 1, positions));

    assertEquals(SubscribeCheck.ALLOWED, broker.checkSubscribe("t", "b"));
    RecordingConsumer consumer = new RecordingConsumer("b");
    assertNotNull(broker.subscribe("t", "b", false, 10, consumer));
    assertEquals(SubscribeCheck.TOO_MANY_GROUPS, broker.checkSubscribe("t", "c"));
    publish(broker, Publication.of("t", "x"));
    assertEquals(List.of(1L), consumer.ids());
  }

  @Test
  void withoutAutoCreateAnUnknownTopicIsUnknownNotOverQuota() {
    Broker broker = new Broker(new DeliveryPolicy(1, 1), TopicLimits.UNBOUNDED, false, clock);
    broker.useQuotas(new Quotas(1, 1));
    broker.createTopic("only");
    assertEquals(SubscribeCheck.UNKNOWN_TOPIC, broker.checkSubscribe("nope", "g"));
    assertEquals(PublishOutcome.UNKNOWN_TOPIC, publish(broker, Publication.of("nope", "x")));
  }

  @Test
  void refusesQuotasBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new Quotas(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Quotas(1, 0));
  }
}
