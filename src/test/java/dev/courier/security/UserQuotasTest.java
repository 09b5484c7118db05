package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UserQuotasTest {
  private final UserQuotas quotas = new UserQuotas(2, 1, 1);

  @Test
  void connectionsPerUserAreCountedUntilClosed() {
    assertTrue(quotas.openForUser("alice"));
    assertTrue(quotas.openForUser("alice"));
    assertFalse(quotas.openForUser("alice"));
    assertTrue(quotas.openForUser("bob"), "another user has their own count");
    quotas.closedForUser("alice");
    assertTrue(quotas.openForUser("alice"));
  }

  @Test
  void connectionsPerAddressAreCountedUntilClosed() {
    assertTrue(quotas.openFromAddress("10.0.0.1"));
    assertFalse(quotas.openFromAddress("10.0.0.1"));
    assertTrue(quotas.openFromAddress("10.0.0.2"));
    quotas.closedFromAddress("10.0.0.1");
    assertTrue(quotas.openFromAddress("10.0.0.1"));
  }

  @Test
  void topicsPerUserCountWhatTheyCreated() {
    assertTrue(quotas.mayCreateTopic("alice"));
    quotas.createdTopic("alice");
    assertFalse(quotas.mayCreateTopic("alice"));
    assertTrue(quotas.mayCreateTopic("bob"));
  }
}
