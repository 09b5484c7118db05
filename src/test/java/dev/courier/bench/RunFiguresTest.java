package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunFiguresTest {
  @Test
  void takesTheMedianOfEachFigureOnItsOwn() {
    RunFigures median = RunFigures.median(List.of(figures(100, 3, 9.0), figures(300, 1, 7.0), figures(200, 2, 8.0)));
    assertEquals(200, median.endToEndPerSecond());
    assertEquals(2, median.lost());
    assertEquals(8.0, median.brokerCpuSecondsPer100k());
    assertEquals(3, median.runs());
  }

  @Test
  void averagesTheMiddleTwoOfAnEvenNumberAndKeepsNotMeasured() {
    RunFigures median = RunFigures.median(List.of(figures(100, 0, null), figures(200, 1, null)));
    assertEquals(150, median.endToEndPerSecond());
    assertEquals(0.5, median.lost());
    assertNull(median.brokerPeakRssMib());
  }

  private static RunFigures figures(double rate, double lost, Double cpu) {
    return new RunFigures("S1", 1, 0, rate, rate, 1, 2, 3, 4, 1, 2, 3, 4, lost, 0, cpu, cpu);
  }
}
