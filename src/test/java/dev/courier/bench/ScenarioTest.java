package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  @Test
  void allRunsTheFourNamedScenariosInOrder() {
    List<Scenario> all = Scenario.parseList("all");
    assertEquals(List.of("S1", "S2", "S3", "S4"), all.stream().map(Scenario::name).toList());
    assertEquals(1, all.get(3).window());
    assertEquals(16 * 1024, all.get(2).payloadBytes());
  }

  @Test
  void acceptsACommaListInAnyCase() {
    assertEquals(List.of("S2", "S4"), Scenario.parseList("s2, S4").stream().map(Scenario::name).toList());
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
