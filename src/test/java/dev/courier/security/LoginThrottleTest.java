package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final LoginThrottle throttle = new LoginThrottle();

  @Test
  void eachFailureFromAnAddressDoublesItsDelayUpToTheCap() {
    assertEquals(0, throttle.delayMillis("10.0.0.1", 0));
    throttle.failed("10.0.0.1", 0);
    assertEquals(LoginThrottle.FIRST_DELAY_MILLIS, throttle.delayMillis("10.0.0.1", 0));
    long previous = LoginThrottle.FIRST_DELAY_MILLIS;
    for (int i = 2; i <= 20; i++) {
      assertEquals(i, throttle.failed("10.0.0.1", i));
      long delay = throttle.delayMillis("10.0.0.1", i);
      assertTrue(delay == Math.min(2 * previous, LoginThrottle.MAX_DELAY_MILLIS), "delay " + delay + " after " + i);
      previous = delay;
    }
    assertEquals(LoginThrottle.MAX_DELAY_MILLIS, previous);
    assertEquals(0, throttle.delayMillis("10.0.0.2", 20), "other addresses are not slowed");
  }

  @Test
  void aLongQuietSpellForgetsTheFailures() {
    throttle.failed("b", 0);
    assertEquals(0, throttle.delayMillis("b", LoginThrottle.FORGET_AFTER_NANOS + 1));
    assertEquals(1, throttle.failed("b", 2 * LoginThrottle.FORGET_AFTER_NANOS + 2));
  }

  @Test
  void itRemembersABoundedNumberOfAddresses() {
    for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 500; i++) {
      throttle.failed("host-" + i, i);
    }
    assertEquals(LoginThrottle.MAX_ADDRESSES, throttle.size());
    assertEquals(0, throttle.delayMillis("host-0", LoginThrottle.MAX_ADDRESSES + 500), "the oldest was forgotten");
  }
}
