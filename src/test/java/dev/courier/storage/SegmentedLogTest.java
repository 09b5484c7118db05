package dev.courier.storage;

import static dev.courier.storage.LogFiles.HEADER;
import static dev.courier.storage.LogFiles.ids;
import static dev.courier.storage.LogFiles.records;
import static dev.courier.storage.LogFiles.scanIds;
import static dev.courier.storage.LogFiles.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedLogTest {

  private static final long SMALL_SEGMENT = 256;

  @TempDir
  Path dir;

  @Test
  void roundTripsAcrossSegmentRollsAndReopen() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      for (long id = 1; id <= 100; id += 7) {
        log.append(records(id, Math.min(id + 6, 100)));
      }
      log.force();
      assertTrue(log.segments().size() > 5, "expected several segments, got " + log.segments().size());
    }
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      RecoveryReport report = log.recoveryReport();
      assertTrue(report.isClean(), report.problems().toString());
      assertEquals(100, report.records());
      assertEquals(segmentFiles(dir).size(), report.segments());
      assertEquals(1, log.firstId());
      assertEquals(100, log.lastId());
      List<LogRecord> scanned = new ArrayList<>();
      log.scan(scanned::add);
      assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), ids(scanned));
      scanned.forEach(record -> assertArrayEquals(LogFiles.body(record.id()), record.body()));

      log.append(records(101, 103));
      assertEquals(103, log.lastId());
      assertEquals(List.of(101L, 102L, 103L), ids(log.read(101, 10, Long.MAX_VALUE)));
    }
  }

  @Test
  void segmentsAreNamedByFirstIdAndNeverExceedTheLimitUnlessOneRecordDoes() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      long written = log.append(records(1, 40));
      List<SegmentInfo> infos = log.segments();
      assertEquals(written + HEADER * infos.size(), log.sizeBytes());
      for (int i = 0; i < infos.size(); i++) {
        SegmentInfo info = infos.get(i);
        assertTrue(info.sizeBytes() <= SMALL_SEGMENT);
        assertEquals(Files.size(dir.resolve(String.format("%020d.seg", info.firstId()))), info.sizeBytes());
        assertTrue(info.lastModifiedMillis() > 0);
        if (i > 0) {
          assertEquals(infos.get(i - 1).lastId() + 1, info.firstId());
        }
      }
      assertEquals(40, infos.get(infos.size() - 1).lastId());

      LogRecord huge = new LogRecord(41, (byte) 1, new byte[1000]);
      log.append(List.of(huge, LogFiles.record(42)));
      List<SegmentInfo> after = log.segments();
      SegmentInfo hugeSegment = after.get(after.size() - 2);
      assertEquals(41, hugeSegment.firstId());
      assertEquals(41, hugeSegment.lastId());
      assertEquals(42, after.get(after.size() - 1).firstId());
    }
  }

  @Test
  void readsFromTheMiddleOfASegmentAndAcrossSegments() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      log.append(records(1, 60));
      long secondSegment = log.segments().get(1).firstId();
      assertEquals(List.of(3L, 4L, 5L), ids(log.read(3, 3, Long.MAX_VALUE)));
      List<Long> across = ids(log.read(secondSegment - 1, 100, Long.MAX_VALUE));
      assertEquals(LongStream.rangeClosed(secondSegment - 1, 60).boxed().toList(), across);
      assertEquals(List.of(1L, 2L), ids(log.read(0, 2, Long.MAX_VALUE)));
      assertEquals(List.of(), log.read(61, 10, Long.MAX_VALUE));
    }
  }

  @Test
  void readIsBoundedByBodyBytesButAlwaysReturnsOneRecord() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      log.append(records(1, 20));
      int twoBodies = LogFiles.body(5).length + LogFiles.body(6).length;
      assertEquals(List.of(5L, 6L), ids(log.read(5, 100, twoBodies)));
      assertEquals(List.of(5L, 6L), ids(log.read(5, 100, twoBodies + LogFiles.body(7).length - 1)));
      assertEquals(List.of(5L), ids(log.read(5, 100, 0)));
    }
  }

  @Test
  void sparseIndexFindsEveryRecordInALargeSegment() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, 64L * 1024 * 1024)) {
      List<LogRecord> big = new ArrayList<>();
      for (long id = 1; id <= 3000; id++) {
        big.add(new LogRecord(id * 2, (byte) 1, new byte[(int) (id % 200)]));
      }
      log.append(big);
      assertEquals(1, log.segments().size());
      for (long from = 1; from <= 6001; from += 97) {
        long firstEven = from % 2 == 0 ? from : from + 1;
        List<Long> expected = LongStream.iterate(firstEven, id -> id <= 6000, id -> id + 2).limit(2)
            .boxed().toList();
        assertEquals(expected, ids(log.read(from, 2, Long.MAX_VALUE)), "from " + from);
      }
    }
  }

  @Test
  void appendRejectsIdsThatDoNotIncreaseAndWritesNothing() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      log.append(records(1, 5));
      long size = log.sizeBytes();
      assertThrows(IllegalArgumentException.class, () -> log.append(records(5, 6)));
      assertThrows(IllegalArgumentException.class, () -> log.append(records(3, 3)));
      assertThrows(IllegalArgumentException.class,
          () -> log.append(List.of(LogFiles.record(7), LogFiles.record(9), LogFiles.record(8))));
      assertThrows(IllegalArgumentException.class,
          () -> log.append(List.of(LogFiles.record(7), LogFiles.record(7))));
      assertEquals(size, log.sizeBytes());
      assertEquals(5, log.lastId());
      assertEquals(0, log.append(List.of()));
    }
  }

  @Test
  void negativeIdsAreRejectedInAnEmptyLog() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      assertEquals(-1, log.lastId());
      assertEquals(-1, log.firstId());
      assertThrows(IllegalArgumentException.class, () -> log.append(records(-1, -1)));
      log.append(records(0, 0));
      assertEquals(0, log.lastId());
    }
  }

  @Test
  void deleteSegmentsBelowKeepsTheActiveSegmentAndFreesTheBytes() throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      log.append(records(1, 60));
      List<SegmentInfo> before = log.segments();
      SegmentInfo third = before.get(2);
      assertEquals(0, log.deleteSegmentsBelow(before.get(0).lastId()));
      assertEquals(2, log.deleteSegmentsBelow(third.lastId()));
      assertEquals(third.firstId(), log.firstId());
      assertEquals(third.firstId(), log.read(1, 1, Long.MAX_VALUE).get(0).id());
      assertFalse(Files.exists(dir.resolve(String.format("%020d.seg", before.get(0).firstId()))));

      SegmentInfo active = before.get(before.size() - 1);
      assertEquals(before.size() - 3, log.deleteSegmentsBelow(Long.MAX_VALUE));
      assertEquals(List.of(active), log.segments().stream()
          .map(info -> new SegmentInfo(info.firstId(), info.lastId(), info.sizeBytes(), active.lastModifiedMillis()))
          .toList());
      assertEquals(active.sizeBytes(), log.sizeBytes());
      assertEquals(List.of(dir.resolve(String.format("%020d.seg", active.firstId()))), segmentFiles(dir));
      assertEquals(60, log.lastId());
      log.append(records(61, 61));
    }
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      assertTrue(log.recoveryReport().isClean());
      assertEquals(61, log.lastId());
    }
  }

  @Test
  void forceAndCloseAreSafeToRepeatAndTheClosedLogRefusesWork() throws IOException {
    SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT);
    log.force();
    log.append(records(1, 30));
    log.force();
    log.force();
    log.close();
    log.close();
    assertThrows(IllegalStateException.class, () -> log.append(records(31, 31)));
    assertThrows(IllegalStateException.class, () -> log.read(1, 1, 1));
  }

  @Test
  void rejectsASegmentSizeThatCannotHoldAHeader() {
    assertThrows(IllegalArgumentException.class, () -> SegmentedLog.open(dir, 8));
  }
}
