package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
  private static final long NOW = 1_000_000;
  // Four segments of 100 bytes: ids 1-10, 11-20, 21-30, and the active 31-.
  private static final List<SegmentInfo> SEGMENTS = List.of(
      new SegmentInfo(1, 10, 100, NOW - 4000),
      new SegmentInfo(11, 20, 100, NOW - 3000),
      new SegmentInfo(21, 30, 100, NOW - 2000),
      new SegmentInfo(31, 35, 50, NOW - 1000));

  @Test
  void withoutRetentionEverythingFullyAckedGoes() {
    assertEquals(21, Retention.deletableBelow(SEGMENTS, 25, NOW, 0, 0));
  }

  @Test
  void nothingGoesThatSomeGroupStillNeeds() {
    assertEquals(1, Retention.deletableBelow(SEGMENTS, 5, NOW, 0, 0));
  }

  @Test
  void theActiveSegmentNeverGoes() {
    assertEquals(31, Retention.deletableBelow(SEGMENTS, 1_000, NOW, 0, 0));
  }

  @Test
  void retentionBytesKeepsTheNewestAckedSegments() {
    assertEquals(21, Retention.deletableBelow(SEGMENTS, 1_000, NOW, 0, 150));
    assertEquals(11, Retention.deletableBelow(SEGMENTS, 1_000, NOW, 0, 200));
  }

  @Test
  void retentionMsKeepsYoungSegments() {
    assertEquals(11, Retention.deletableBelow(SEGMENTS, 1_000, NOW, 3500, 0));
  }
}
