package dev.courier.storage;

import static dev.courier.storage.LogFiles.HEADER;
import static dev.courier.storage.LogFiles.onDisk;
import static dev.courier.storage.LogFiles.record;
import static dev.courier.storage.LogFiles.records;
import static dev.courier.storage.LogFiles.scanIds;
import static dev.courier.storage.LogFiles.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage on disk: what {@link SegmentedLog#open} keeps, cuts, skips and reports. */
class LogRecoveryTest {

  private static final long ONE_SEGMENT = 1 << 20;
  private static final long SMALL_SEGMENT = 256;

  @TempDir
  Path dir;

  @Test
  void cutsATornLastRecordAtEveryBytePositionAndAppendingContinues() throws IOException {
    Path template = dir.resolve("template");
    writeLog(template, ONE_SEGMENT, 5);
    Path segment = segmentFiles(template).get(0);
    long lastStart = positionOf(5);
    assertEquals(lastStart + onDisk(record(5)), Files.size(segment));

    for (long cut = lastStart + 1; cut < Files.size(segment); cut++) {
      Path copy = dir.resolve("cut-" + cut);
      LogFiles.copyDirectory(template, copy);
      LogFiles.truncate(segmentFiles(copy).get(0), cut);
      try (SegmentedLog log = SegmentedLog.open(copy, ONE_SEGMENT)) {
        RecoveryReport report = log.recoveryReport();
        assertEquals(cut - lastStart, report.truncatedBytes(), "cut at " + cut);
        assertEquals(4, report.records());
        assertEquals(1, report.problems().size());
        assertTrue(report.problems().get(0).contains("torn tail at byte " + lastStart), report.problems().get(0));
        assertEquals(4, log.lastId());
        log.append(List.of(new LogRecord(5, (byte) 2, "again".getBytes(StandardCharsets.UTF_8))));
      }
      try (SegmentedLog log = SegmentedLog.open(copy, ONE_SEGMENT)) {
        assertTrue(log.recoveryReport().isClean(), "cut at " + cut);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), scanIds(log));
        assertArrayEquals("again".getBytes(StandardCharsets.UTF_8), log.read(5, 1, 100).get(0).body());
      }
    }
  }

  @Test
  void removesALastSegmentLeftWithNoRecordAndAppendsToThePreviousOne() throws IOException {
    writeLog(dir, SMALL_SEGMENT, 30);
    List<Path> files = segmentFiles(dir);
    Path last = files.get(files.size() - 1);
    LogFiles.truncate(last, HEADER + 3);
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      assertEquals(files.size() - 1, segmentFiles(dir).size());
      long lastId = log.lastId();
      assertTrue(lastId < 30);
      log.append(records(lastId + 1, 30));
      assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), scanIds(log));
    }
  }

  @Test
  void skipsAndReportsABadCrcInTheMiddle() throws IOException {
    writeLog(dir, ONE_SEGMENT, 5);
    Path segment = segmentFiles(dir).get(0);
    long size = Files.size(segment);
    long second = positionOf(2);
    LogFiles.flipByte(segment, second + onDisk(record(2)) - 1); // last byte of its body

    for (int reopen = 0; reopen < 2; reopen++) {
      try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
        RecoveryReport report = log.recoveryReport();
        assertEquals(List.of(1L, 3L, 4L, 5L), scanIds(log));
        assertEquals(List.of(1L, 3L, 4L, 5L), LogFiles.ids(log.read(0, 10, Long.MAX_VALUE)));
        assertEquals(4, report.records());
        assertEquals(0, report.truncatedBytes());
        assertEquals(1, report.problems().size());
        String problem = report.problems().get(0);
        assertTrue(problem.contains(segment.getFileName().toString()), problem);
        assertTrue(problem.contains("bad CRC, id 2 (unverified) at byte " + second), problem);
      }
      assertEquals(size, Files.size(segment), "a skipped record stays on disk");
    }
  }

  @Test
  void truncatesABadCrcInTheLastRecord() throws IOException {
    writeLog(dir, ONE_SEGMENT, 5);
    Path segment = segmentFiles(dir).get(0);
    LogFiles.flipByte(segment, positionOf(5) + 10);
    try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
      assertEquals(onDisk(record(5)), log.recoveryReport().truncatedBytes());
      assertEquals(positionOf(5), Files.size(segment));
      assertEquals(List.of(1L, 2L, 3L, 4L), scanIds(log));
      log.append(records(5, 6));
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), scanIds(log));
    }
  }

  @Test
  void truncatesEveryBadRecordAtTheTailNotJustTheLast() throws IOException {
    writeLog(dir, ONE_SEGMENT, 5);
    Path segment = segmentFiles(dir).get(0);
    LogFiles.flipByte(segment, positionOf(4) + 12);
    LogFiles.truncate(segment, Files.size(segment) - 2);
    try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
      assertEquals(positionOf(4), Files.size(segment));
      assertEquals(List.of(1L, 2L, 3L), scanIds(log));
      assertEquals(3, log.lastId());
    }
  }

  @Test
  void truncatesAZeroFilledTailLeftByACrash() throws IOException {
    writeLog(dir, ONE_SEGMENT, 5);
    Path segment = segmentFiles(dir).get(0);
    long size = Files.size(segment);
    Files.write(segment, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
    try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
      assertEquals(4096, log.recoveryReport().truncatedBytes());
      assertTrue(log.recoveryReport().problems().get(0).contains("implausible record length"));
      assertEquals(size, Files.size(segment));
      assertEquals(5, log.lastId());
    }
  }

  @Test
  void ignoresAndKeepsASegmentWithABadHeader() throws IOException {
    writeLog(dir, SMALL_SEGMENT, 40);
    List<Path> files = segmentFiles(dir);
    Path damaged = files.get(1);
    long damagedFirst = SegmentFormat.firstIdOf(damaged.getFileName().toString());
    long nextFirst = SegmentFormat.firstIdOf(files.get(2).getFileName().toString());
    LogFiles.flipByte(damaged, 0);
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      RecoveryReport report = log.recoveryReport();
      assertEquals(files.size() - 1, report.segments());
      assertEquals(1, report.problems().size());
      assertTrue(report.problems().get(0).contains(damaged + ": bad magic"), report.problems().get(0));
      List<Long> expected = LongStream.rangeClosed(1, 40)
          .filter(id -> id < damagedFirst || id >= nextFirst).boxed().toList();
      assertEquals(expected, scanIds(log));
    }
    assertEquals(files, segmentFiles(dir));
  }

  @Test
  void findsTheIdsOfADeletedMiddleSegmentAndAppendingContinues() throws IOException {
    writeLog(dir, SMALL_SEGMENT, 40);
    List<Path> files = segmentFiles(dir);
    long firstMissing = SegmentFormat.firstIdOf(files.get(1).getFileName().toString());
    long nextFirst = SegmentFormat.firstIdOf(files.get(2).getFileName().toString());
    Files.delete(files.get(1));
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      RecoveryReport report = log.recoveryReport();
      assertEquals(List.of(new RecoveryReport.MissingIds(firstMissing, nextFirst - 1, files.get(0), files.get(2))),
          report.missingIds());
      assertEquals(nextFirst - firstMissing, report.missingIds().get(0).count());
      assertEquals(40, log.lastId());
      log.append(records(41, 41));
      assertEquals(41, log.lastId());
    }
  }

  @Test
  void aLogWithoutHolesReportsNoMissingIds() throws IOException {
    writeLog(dir, SMALL_SEGMENT, 40);
    Files.delete(segmentFiles(dir).get(0)); // as retention does: the oldest goes first
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      assertEquals(List.of(), log.recoveryReport().missingIds());
      assertTrue(log.recoveryReport().isClean(), log.recoveryReport().problems().toString());
    }
  }

  @Test
  void movesAsideADamagedLastSegmentWhoseNameANewSegmentNeeds() throws IOException {
    writeLog(dir, ONE_SEGMENT, 5);
    Path stub = dir.resolve(SegmentFormat.fileName(6));
    Files.write(stub, new byte[] {'C', 'R', 'S'});
    try (SegmentedLog log = SegmentedLog.open(dir, 40)) { // so the next append rolls
      assertTrue(log.recoveryReport().problems().get(0).contains("header missing (3 bytes)"));
      assertEquals(5, log.lastId());
      log.append(records(6, 6));
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), scanIds(log));
    }
    assertArrayEquals(new byte[] {'C', 'R', 'S'},
        Files.readAllBytes(dir.resolve(SegmentFormat.fileName(6) + ".damaged")));
    try (SegmentedLog log = SegmentedLog.open(dir, 40)) {
      assertTrue(log.recoveryReport().isClean(), log.recoveryReport().problems().toString());
      assertEquals(6, log.lastId());
    }
  }

  @Test
  void skipsTheRestOfAnEarlierSegmentAfterAnImplausibleLength() throws IOException {
    writeLog(dir, SMALL_SEGMENT, 40);
    List<Path> files = segmentFiles(dir);
    Path first = files.get(0);
    long size = Files.size(first);
    LogFiles.putInt(first, positionOf(2), 0x7fff_fff0);
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      RecoveryReport report = log.recoveryReport();
      assertEquals(1, report.problems().size());
      String problem = report.problems().get(0);
      assertTrue(problem.contains(first + ": short record"), problem);
      assertTrue(problem.contains("at byte " + positionOf(2)), problem);
      long secondFirst = SegmentFormat.firstIdOf(files.get(1).getFileName().toString());
      List<Long> expected = LongStream.rangeClosed(1, 40)
          .filter(id -> id == 1 || id >= secondFirst).boxed().toList();
      assertEquals(expected, scanIds(log));
      assertEquals(expected, LogFiles.ids(log.read(1, 100, Long.MAX_VALUE)));
    }
    assertEquals(size, Files.size(first), "an earlier segment is never cut");
  }

  @Test
  void refusesToOpenASegmentFromANewerFormatVersion() throws IOException {
    writeLog(dir, ONE_SEGMENT, 3);
    Path segment = segmentFiles(dir).get(0);
    LogFiles.putInt(segment, 4, 2 << 16);
    IOException refused = assertThrows(IOException.class, () -> SegmentedLog.open(dir, ONE_SEGMENT));
    assertTrue(refused.getMessage().contains("format version 2"), refused.getMessage());
  }

  private static void writeLog(Path dir, long segmentBytes, long records) throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, segmentBytes)) {
      log.append(records(1, records));
    }
  }

  /** File position of record {@code id} in a log written by {@link #writeLog} in one segment. */
  private static long positionOf(long id) {
    long position = HEADER;
    for (long before = 1; before < id; before++) {
      position += onDisk(record(before));
    }
    return position;
  }
}
