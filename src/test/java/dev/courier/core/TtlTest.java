package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ttl_ms: a message a group has not acked within its TTL is never delivered to that group again. */
class TtlTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();
  private static final long TTL_MILLIS = 1_000;

  private final ManualClock clock = new ManualClock();
  private final FakeStorage storage = new FakeStorage(clock, false);
  private final RecordingConsumer worker = new RecordingConsumer("worker");
  private final RecordingConsumer dlq = new RecordingConsumer("dlq");

  private Broker broker(int maxDeliveries) {
    return storage.broker(new BrokerRules(new DeliveryPolicy(TIMEOUT_NANOS, 10, maxDeliveries), TopicLimits.UNBOUNDED,
        true, Long.MAX_VALUE));
  }

  private static void publish(Broker broker, String payload, long ttlMillis) {
    new RecordingPublisher(broker).publish(new Publication("t", payload, null, null, false, null, ttlMillis));
  }

  @Test
  void aMessageWhoseTtlPassedBeforeItsFirstDeliveryIsDroppedAndCountedWhereTheGroupHasNoDeadLetterTopic() {
    Broker broker = broker(0);
    broker.createTopic("t");
    Subscription paused = broker.subscribe("t", "g", false, 0, worker); // no credit: nothing is delivered yet
    publish(broker, "mortal", TTL_MILLIS);
    publish(broker, "immortal", 0);
    clock.advance(Duration.ofMillis(TTL_MILLIS));
    broker.setCredit(paused, 10);

    assertEquals(List.of(2L), worker.ids());
    assertEquals(1, broker.expiredDropped("t", "g"));
    assertEquals(0, broker.stats().inFlight() - 1, "only the immortal one is in flight");
  }

  @Test
  void oneMillisecondBeforeItsTtlAMessageIsStillDelivered() {
    Broker broker = broker(0);
    publish(broker, "mortal", TTL_MILLIS);
    clock.advance(Duration.ofMillis(TTL_MILLIS - 1));
    broker.subscribe("t", "g", false, 10, worker);

    assertEquals(List.of(1L), worker.ids());
    assertEquals(0, broker.expiredDropped("t", "g"));
  }

  @Test
  void aDeliveryInFlightWhenItsTtlPassesIsStillAckedButOneNotAckedExpiresInsteadOfComingBack() {
    Broker broker = broker(0);
    Subscription subscription = broker.subscribe("t", "g", false, 10, worker);
    publish(broker, "acked late", TTL_MILLIS);
    publish(broker, "never acked", TTL_MILLIS);
    clock.advance(Duration.ofMillis(TTL_MILLIS * 2));
    assertEquals(AckResult.ACKED, broker.ack(subscription, 1));

    clock.advance(Duration.ofNanos(TIMEOUT_NANOS));
    assertEquals(1, broker.expire(), "msg 2's ack deadline passed");
    assertEquals(List.of(1L, 2L), worker.ids(), "msg 2 is not delivered again");
    assertEquals(1, broker.expiredDropped("t", "g"));
    assertEquals(0, broker.stats().inFlight());
  }

  @Test
  void whereTheGroupHasADeadLetterTopicAnExpiredMessageBecomesADeadLetterWithReasonExpiredOnlyForThatGroup() {
    Broker broker = broker(3);
    broker.subscribe("t.dlq", "ops", false, 10, dlq);
    Subscription subscription = broker.subscribe("t", "g", false, 10, worker);
    Subscription other = broker.subscribe("t", "fast", false, 10, new RecordingConsumer("fast"));
    publish(broker, "mortal", TTL_MILLIS);
    assertEquals(AckResult.ACKED, broker.ack(other, 1));
    clock.advance(Duration.ofNanos(TIMEOUT_NANOS));
    broker.expire();

    assertEquals(List.of(1L), worker.ids());
    assertEquals(1, dlq.messages().size());
    Message deadLetter = dlq.messages().get(0);
    assertEquals("expired", deadLetter.headers().get("x-reason"));
    assertEquals("g", deadLetter.headers().get("x-original-group"));
    assertEquals("1", deadLetter.headers().get("x-attempts"));
    assertEquals("mortal", deadLetter.payload());
    assertEquals(0, broker.expiredDropped("t", "g"));
    assertEquals(AckResult.UNKNOWN_MESSAGE, broker.ack(subscription, 1), "released once its dead letter was stored");
  }
}
