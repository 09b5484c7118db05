package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UserQuotasTest {
  private final UserQuotas quotas = new UserQuotas(2, 1, 1);
  private final Principal alice = new Principal("alice", Permissions.ALL, false);
  private final Principal bob = new Principal("bob", Permissions.ALL, false);

  @Test
  void connectionsPerUserAreCountedUntilClosed() {
    assertTrue(quotas.openFor(alice));
    assertTrue(quotas.openFor(alice));
    assertFalse(quotas.mayOpenFor(alice));
    assertFalse(quotas.openFor(alice));
    assertTrue(quotas.openFor(bob), "another user has their own count");
    quotas.closedFor(alice);
    assertTrue(quotas.openFor(alice));
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
    assertTrue(quotas.mayCreateTopic(alice));
    quotas.createdTopic(alice);
    assertFalse(quotas.mayCreateTopic(alice));
    assertTrue(quotas.mayCreateTopic(bob));
  }

  @Test
  void anonymousClientsAreBoundedPerAddressAndBrokerWideNotAsOneUser() {
    for (int i = 0; i < 10; i++) {
      assertTrue(quotas.openFor(Principal.ANONYMOUS));
      quotas.createdTopic(Principal.ANONYMOUS);
    }
    assertTrue(quotas.mayOpenFor(Principal.ANONYMOUS));
    assertTrue(quotas.mayCreateTopic(Principal.ANONYMOUS));
  }
}
