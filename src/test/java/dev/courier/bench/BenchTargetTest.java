package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BenchTargetTest {
  @Test
  void acceptsLoopbackAddresses() {
    assertEquals(9000, new BenchTarget.RunningBroker("127.0.0.1", 9000).port());
    assertEquals("::1", new BenchTarget.RunningBroker("::1", 9000).host());
  }

  @Test
  void refusesAnAddressThatIsNotLoopback() {
    assertThrows(IllegalArgumentException.class, () -> new BenchTarget.RunningBroker("10.1.2.3", 9000));
    assertThrows(IllegalArgumentException.class, () -> new BenchTarget.RunningBroker("0.0.0.0", 9000));
  }
}
