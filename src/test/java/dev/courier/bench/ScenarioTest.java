package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  @Test
  void allRunsTheNamedScenariosInOrderClosedLoopsFirst() {
    List<Scenario> all = Scenario.parseList("all");
    assertEquals(List.of("S1", "S2", "S3", "S4", "L1", "L2", "L3"), all.stream().map(Scenario::name).toList());
    assertEquals(1, all.get(3).window());
    assertEquals(16 * 1024, all.get(2).payloadBytes());
  }

  @Test
  void acceptsACommaListInAnyCase() {
    assertEquals(List.of("S2", "S4"), Scenario.parseList("s2, S4").stream().map(Scenario::name).toList());
  }

  @Test
  void offersItsShareOfTheCapacityForTheFixedRateTime() {
    Scenario l2 = Scenario.parseList("L2").get(0);
    assertTrue(l2.needsCapacity());

    Scenario resolved = l2.atCapacity(100_000);

    assertEquals(50_000, resolved.rate());
    assertEquals(50_000 * (Scenario.FIXED_RATE_WARMUP_SECONDS + Scenario.FIXED_RATE_SECONDS), resolved.count());
    assertEquals(Scenario.FIXED_RATE_WARMUP_SECONDS, resolved.warmupSeconds());
    assertEquals(4, resolved.producers());
    assertTrue(resolved.isFixedRate());
    assertFalse(resolved.needsCapacity());
  }

  @Test
  void closedLoopScenariosHaveNoRate() {
    Scenario s2 = Scenario.parseList("S2").get(0);
    assertFalse(s2.isFixedRate());
    assertFalse(s2.needsCapacity());
  }

  @Test
  void refusesANegativeRate() {
    assertThrows(IllegalArgumentException.class, () -> Scenario.custom(1, 1, 100, 10, 1, -1));
  }

  @Test
  void refusesAWarmUpWithoutARate() {
    assertThrows(IllegalArgumentException.class, () -> Scenario.custom(1, 1, 100, 10, 1, 0, 2));
  }

  @Test
  void refusesAnUnknownName() {
    assertThrows(IllegalArgumentException.class, () -> Scenario.parseList("S5"));
  }

  @Test
  void producersGetContiguousBlocksCoveringEverySequenceNumber() {
    Scenario scenario = Scenario.custom(3, 1, 100, 10, 1);
    assertEquals(List.of(4, 3, 3), List.of(scenario.countOfProducer(0), scenario.countOfProducer(1),
        scenario.countOfProducer(2)));
    assertEquals(List.of(0, 4, 7), List.of(scenario.firstSequenceOfProducer(0), scenario.firstSequenceOfProducer(1),
        scenario.firstSequenceOfProducer(2)));
  }

  @Test
  void refusesAPayloadTooSmallForItsHeader() {
    assertThrows(IllegalArgumentException.class, () -> Scenario.custom(1, 1, Payload.MIN_BYTES - 1, 10, 1));
  }
}
