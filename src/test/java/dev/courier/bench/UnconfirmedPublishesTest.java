package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Matching answers to publishes in order, and what each answer's latency is. */
class UnconfirmedPublishesTest {
  @Test
  void chargesEachAnswerFromTheStampOfTheOldestUnansweredPublish() {
    UnconfirmedPublishes pending = new UnconfirmedPublishes(4);
    pending.sent(1_000);
    pending.sent(2_000);

    assertTrue(pending.answered(1_500_000));
    assertTrue(pending.answered(1_600_000));

    assertEquals(2, pending.latencies().getTotalCount());
    assertEquals(1_499_000, pending.latencies().getMinValue(), 1_499_000 / 1000.0);
    assertEquals(1_598_000, pending.latencies().getMaxValue(), 1_598_000 / 1000.0);
    assertEquals(0, pending.size());
  }

  @Test
  void keepsOrderWhenMorePublishesAreOutstandingThanItsInitialRoom() {
    UnconfirmedPublishes pending = new UnconfirmedPublishes(2);
    for (long stamp = 1; stamp <= 5; stamp++) {
      pending.sent(stamp * 1_000_000);
    }
    pending.answered(1_000_000);
    pending.sent(6_000_000);
    for (long answer = 2; answer <= 6; answer++) {
      // Answered exactly at its stamp: every latency is zero only if order was kept.
      pending.answered(answer * 1_000_000);
    }
    assertEquals(6, pending.latencies().getTotalCount());
    assertEquals(0, pending.latencies().getMaxValue());
  }

  @Test
  void answersPublishesOfTheWarmUpWithoutMeasuringThem() {
    UnconfirmedPublishes pending = new UnconfirmedPublishes(4, 10_000);
    pending.sent(9_999);
    pending.sent(10_000);

    pending.answered(20_000);
    pending.answered(30_000);

    assertEquals(1, pending.latencies().getTotalCount());
    assertEquals(20_000, pending.latencies().getMaxValue(), 20);
    assertEquals(0, pending.size());
  }

  @Test
  void ignoresAnAnswerNoPublishIsWaitingFor() {
    UnconfirmedPublishes pending = new UnconfirmedPublishes(1);
    assertFalse(pending.answered(10));
    assertEquals(0, pending.latencies().getTotalCount());
  }
}
