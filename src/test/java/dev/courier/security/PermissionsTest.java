package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionsTest {
  private final Permissions orders = new Permissions(new TopicPatterns(List.of("orders.*")),
      new TopicPatterns(List.of("*", "!payroll")), new TopicPatterns(List.of("orders.*")));

  @Test
  void eachPermissionAsksItsOwnPatterns() {
    assertTrue(orders.allows(Permission.PUBLISH, "orders.eu"));
    assertFalse(orders.allows(Permission.PUBLISH, "invoices"));
    assertTrue(orders.allows(Permission.CONSUME, "invoices"));
    assertFalse(orders.allows(Permission.CONSUME, "payroll"));
    assertTrue(orders.allows(Permission.ADMIN, "orders.eu"));
  }

  @Test
  void statsNeedAdminOnEveryTopic() {
    assertFalse(orders.mayReadStats());
    Permissions admin = new Permissions(null, null, new TopicPatterns(List.of("*")));
    assertTrue(admin.mayReadStats());
    Permissions adminButPayroll = new Permissions(null, null, new TopicPatterns(List.of("*", "!payroll")));
    assertFalse(adminButPayroll.mayReadStats());
  }

  @Test
  void missingListsAllowNothing() {
    Permissions none = new Permissions(null, null, null);
    for (Permission permission : Permission.values()) {
      assertFalse(none.allows(permission, "orders"));
    }
  }

  @Test
  void theAnonymousClientMayDoEverythingASeedClientDid() {
    for (Permission permission : Permission.values()) {
      assertTrue(Principal.ANONYMOUS.permissions().allows(permission, "default"));
    }
    assertTrue(Principal.ANONYMOUS.permissions().mayReadStats());
  }
}
