package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdleFiguresTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void sharesTheRssGrowthOutOverTheItems() {
    IdleFigures figures = new IdleFigures("connections", 1000, 40 * MIB, 48 * MIB);

    assertEquals(8 * MIB / 1000.0, figures.bytesPerItem(), 1e-9);
    assertEquals(8 * 1024 / 1000.0, figures.kibPerItem(), 1e-9);
    assertEquals(40.0, figures.rssBeforeMib(), 1e-9);
    assertEquals(48.0, figures.rssAfterMib(), 1e-9);
  }

  @Test
  void aShrinkingRssGivesANegativeFigureRatherThanHidingIt() {
    IdleFigures figures = new IdleFigures("groups", 4, 10 * MIB, 10 * MIB - 4096);

    assertEquals(-1024.0, figures.bytesPerItem(), 1e-9);
  }

  @Test
  void refusesARunWithNoItems() {
    assertThrows(IllegalArgumentException.class, () -> new IdleFigures("groups", 0, 1, 2));
  }

  @Test
  void printsOneRowWithEveryFigure() {
    String row = IdleTable.row(new IdleFigures("groups", 2000, 48 * MIB, 52 * MIB));

    assertTrue(row.matches("groups\\s+2000\\s+48\\.0\\s+52\\.0\\s+2\\.05\\s*"), row);
  }
}
