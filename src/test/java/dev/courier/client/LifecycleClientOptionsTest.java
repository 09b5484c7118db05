package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the producer's and consumer's life cycle options put on the wire (issue 12). */
class LifecycleClientOptionsTest {

  private static ProducerOptions producer(List<String> messages, long count, PublishLifecycle lifecycle) {
    return new ProducerOptions("127.0.0.1", 1, null, messages, count, 10, 0, 1, null, null, lifecycle);
  }

  private static String json(Frame frame) {
    var b = FrameCodec.encode(frame);
    return b.getString(FrameCodec.LENGTH_PREFIX_BYTES, b.length());
  }

  @Test
  void aProducerWithoutLifecycleOptionsSendsTheSeedsPublish() {
    ProducerOptions seed = producer(ProducerOptions.SEED_MESSAGES, 0, null);
    assertEquals("{\"type\":\"publish\",\"payload\":\"task-0\"}", json(seed.publish(0)));
  }

  @Test
  void aProducerPutsItsDelayAndTtlOnEveryPublish() {
    ProducerOptions delayed = producer(List.of("a", "b"), 0, new PublishLifecycle(500L, 60_000L, null));
    assertEquals("{\"type\":\"publish\",\"payload\":\"b\",\"delay_ms\":500,\"ttl_ms\":60000}", json(delayed.publish(1)));
  }

  @Test
  void oneMessageCarriesTheDedupIdAsGivenAndSeveralCarryItWithTheirIndex() {
    assertEquals("order-17", producer(List.of("a"), 0, new PublishLifecycle(null, null, "order-17"))
        .publish(0).dedupId());
    ProducerOptions batch = producer(List.of(), 3, new PublishLifecycle(null, null, "run"));
    assertEquals(List.of("run-0", "run-1", "run-2"),
        List.of(batch.publish(0).dedupId(), batch.publish(1).dedupId(), batch.publish(2).dedupId()));
  }

  @Test
  void aDedupPrefixTooLongForTheLastIndexIsRefusedBeforeAnythingIsSent() {
    String prefix = "p".repeat(Frame.Publish.MAX_DEDUP_ID_BYTES - 2);
    producer(List.of(), 10, new PublishLifecycle(null, null, prefix)); // "p...-9" fits exactly
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> producer(List.of(), 11, new PublishLifecycle(null, null, prefix)));
    assertTrue(e.getMessage().contains("129 bytes"), e.getMessage());
  }

  @Test
  void lifecycleRangesAreCheckedWhereTheOptionsAreMade() {
    assertThrows(IllegalArgumentException.class, () -> new PublishLifecycle(-1L, null, null));
    assertThrows(IllegalArgumentException.class, () -> new PublishLifecycle(null, 0L, null));
    assertThrows(IllegalArgumentException.class, () -> new PublishLifecycle(null, null, ""));
    assertThrows(IllegalArgumentException.class, () -> new NackPlan(0, 5L));
    assertThrows(IllegalArgumentException.class, () -> new NackPlan(-1, null));
  }

  @Test
  void nackPlanNacksEveryNthMessageCountingFromOne() {
    NackPlan third = new NackPlan(3, 250L);
    assertEquals(List.of(false, false, true, false, false, true),
        List.of(third.nacks(1), third.nacks(2), third.nacks(3), third.nacks(4), third.nacks(5), third.nacks(6)));
    assertEquals(new Frame.Nack(9, 250L), third.nack(9));
    assertFalse(NackPlan.NONE.nacks(1));
  }

  @Test
  void aConsumerThatNeverAcksCannotNack() {
    assertThrows(IllegalArgumentException.class, () -> new ConsumerOptions("127.0.0.1", 1, null, null, null, false, 0,
        0, false, null, null, new NackPlan(2, null)));
  }

  @Test
  void theVerticlesConfTakesTheLifecycleKeys() {
    ProducerOptions p = ProducerOptions.fromJson(new JsonObject()
        .put("messages", List.of("x")).put("delay_ms", 10).put("ttl_ms", 20).put("dedup_id", "d"));
    assertEquals(new PublishLifecycle(10L, 20L, "d"), p.lifecycle());
    ConsumerOptions c = ConsumerOptions.fromJson(new JsonObject().put("nack_every", 2).put("nack_delay_ms", 30));
    assertEquals(new NackPlan(2, 30L), c.nacks());
  }
}
