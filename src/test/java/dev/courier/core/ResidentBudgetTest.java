package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The topic memory budget counts what a resident message is estimated to cost on the heap
 * ({@link ResidentSize}), not its payload alone; {@code max_topic_bytes} still counts payload bytes.
 */
class ResidentBudgetTest {
  private static final int MESSAGES = 250;
  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock);

  private Broker broker(long topicMemoryBytes) {
    return storage.broker(new BrokerRules(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 100),
        TopicLimits.UNBOUNDED, true, topicMemoryBytes));
  }

  private static String payload(int i) {
    return String.format("%05d", i) + "x".repeat(95);
  }

  @Test
  void aHundredBytePayloadIsEstimatedAtTheTwoHundredFortyBytesMeasuredForIt() {
    // ResidentCostDriver measured 166, 237 and 1157 bytes a message (docs/FOOTPRINT.md, "budget").
    assertEquals(168, ResidentSize.of("x".repeat(25), null, null));
    assertEquals(240, ResidentSize.of("x".repeat(100), null, null));
    assertEquals(1160, ResidentSize.of("x".repeat(1024), null, null));
  }

  @Test
  void aKeyAndEachHeaderAddTheirObjectsAndTheirTextPaddedToEightBytes() {
    long bare = ResidentSize.of("x".repeat(100), null, null);
    assertEquals(bare + 40 + 8, ResidentSize.of("x".repeat(100), "k", null));
    assertEquals(bare + 40 + 16, ResidentSize.of("x".repeat(100), "123456789", null));
    assertEquals(bare + 152 + 40 + 40 + 8 + 40 + 16,
        ResidentSize.of("x".repeat(100), null, Map.of("trace", "0123456789")));
  }

  @Test
  void aBudgetOfAHundredMessagesEstimatedMemoryKeepsAHundredResidentAndDeliversTheRestInOrder() {
    long each = ResidentSize.of(payload(0), null, null);
    Broker broker = broker(100 * each);
    for (int i = 0; i < MESSAGES; i++) {
      storage.publish(broker, "t", payload(i));
    }
    TopicStats stats = broker.topicStats().get(0);
    assertEquals(MESSAGES, stats.retainedMessages());
    assertEquals(MESSAGES * 100L, stats.retainedBytes(), "max_topic_bytes still counts payload bytes");
    assertEquals(100 * each, stats.residentBytes(), "100 resident, the rest paged out");

    RecordingConsumer consumer = new RecordingConsumer("c");
    Subscription[] subscription = new Subscription[1];
    List<Long> unacked = new ArrayList<>();
    consumer.onDeliver((c, m) -> {
      if (subscription[0] == null) {
        unacked.add(m.id()); // delivered while subscribing
      } else {
        broker.ack(subscription[0], m.id());
      }
    });
    subscription[0] = broker.subscribe("t", "g", false, 100, consumer);
    unacked.forEach(id -> broker.ack(subscription[0], id));
    assertEquals(101, storage.loads().get(0).fromId(), "the first load starts at the first message paged out");
    for (int loads = 0; consumer.ids().size() < MESSAGES && loads < MESSAGES; loads++) {
      storage.answerLastLoad(broker);
    }
    assertEquals(LongStream.rangeClosed(1, MESSAGES).boxed().toList(), consumer.ids());
    assertEquals(payload(MESSAGES - 1), consumer.messages().get(MESSAGES - 1).payload());
    assertEquals(0, broker.topicStats().get(0).residentBytes(), "everything acked: nothing resident");
  }

  @Test
  void aKeyAndHeadersLeaveRoomForFewerMessagesInTheSameBudget() {
    long bare = ResidentSize.of(payload(0), null, null);
    Map<String, String> headers = Map.of("trace-id", "0123456789abcdef", "tenant", "acme");
    long withExtras = ResidentSize.of(payload(0), "order-17", headers);
    Broker broker = broker(10 * bare);
    for (int i = 0; i < 20; i++) {
      RecordingPublisher.publish(broker, new Publication("t", payload(i), "order-17", headers, false));
    }
    long resident = broker.topicStats().get(0).residentBytes();
    long expected = 10 * bare / withExtras;
    assertTrue(expected < 10, "the extras cost more than the payload: " + expected);
    assertEquals(expected * withExtras, resident);
  }
}
