package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(100, 5_000);

  @Test
  void waitsDoubleFromTheInitialAndStayInTheUpperHalf() {
    assertEquals(50, backoff.delayMs(1, () -> 0.0));
    assertEquals(99, backoff.delayMs(1, () -> 0.999));
    assertEquals(100, backoff.delayMs(2, () -> 0.0));
    assertEquals(200, backoff.delayMs(3, () -> 0.0));
  }

  @Test
  void noWaitExceedsTheMaximumHoweverManyAttempts() {
    assertEquals(4_999, backoff.delayMs(7, () -> 0.9999));
    assertEquals(4_999, backoff.delayMs(Integer.MAX_VALUE, () -> 0.9999));
    assertEquals(2_500, backoff.delayMs(1_000, () -> 0.0));
  }

  @Test
  void anInitialAboveTheMaximumIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 5));
  }
}
