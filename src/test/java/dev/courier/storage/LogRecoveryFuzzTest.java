package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.courier.fuzz.Bytes;
import dev.courier.fuzz.Fuzz;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;
import org.slf4j.LoggerFactory;

/**
 * Property-based fuzzing of log recovery (see {@link Fuzz}): a log of several segments is written,
 * its files are damaged at random (cut, bits flipped, bytes inserted, deleted or overwritten,
 * bytes of one file spliced into another, a file deleted), and {@link SegmentedLog#open} must
 * then keep every record that lies wholly before the first damaged byte, invent none, and accept
 * appends that a second open finds again. The only failure open may report is the documented
 * refusal of a format version newer than this build (docs/STORAGE.md, "Log recovery").
 */
class LogRecoveryFuzzTest {
  private static final ch.qos.logback.classic.Logger STORAGE_LOG =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.courier.storage");
  private static Level storageLevel;

  @TempDir(factory = InMemoryWhereAvailable.class)
  static Path root;
  private static final AtomicInteger TRIES = new AtomicInteger();

  /** A log to write and the damage to do to it; the damage draws from its own seed. */
  record Plan(List<LogRecord> records, long segmentBytes, int damages, long damageSeed) {
    @Override
    public String toString() {
      return records.size() + " records, segmentBytes " + segmentBytes + ", " + damages + " damages from seed "
          + damageSeed;
    }
  }

  /** A record as it lies in a segment file: bytes {@code start} (inclusive) to {@code end}. */
  private record Span(long id, int start, int end) {}

  /**
   * Under /dev/shm where the machine has it: every try creates and syncs a few segments, and on a
   * disk those syncs are nearly all the time the test takes (measured: 9 s for 150 tries against 1.8 s here). What is
   * tested is what recovery makes of the bytes, which does not depend on where they lie.
   */
  static final class InMemoryWhereAvailable implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "courier-fuzz") : Files.createTempDirectory("courier-fuzz");
    }
  }

  @BeforeAll
  static void quietStorageWarnings() {
    // Every damaged try WARNs about what it found, as it should; thousands of tries would bury the results.
    storageLevel = STORAGE_LOG.getLevel();
    STORAGE_LOG.setLevel(Level.ERROR);
  }

  @AfterAll
  static void restoreStorageWarnings() {
    STORAGE_LOG.setLevel(storageLevel);
  }

  @Test
  void aDamagedLogKeepsEveryRecordBeforeTheFirstDamagedByteAndAcceptsAppends() {
    Fuzz.forAll("log recovery", 100, LogRecoveryFuzzTest::plan, LogRecoveryFuzzTest::check);
  }

  /**
   * Found by the property above: a whole record of a later segment spliced into the end of an
   * earlier one passed its CRC and counted there, so a scan returned it while a read from its id,
   * which looks in the segment whose range holds the id, skipped to the next one.
   */
  @Test
  void aRecordCopiedIntoAnEarlierSegmentIsSkippedSoScansAndReadsAgree() throws IOException {
    Path dir = root.resolve("copied-record");
    List<LogRecord> records = new ArrayList<>();
    for (long id = 1; id <= 10; id++) {
      records.add(new LogRecord(id, RecordCodec.MESSAGE, ("record-" + id).getBytes()));
    }
    write(dir, 100, records);
    List<Path> files = LogFiles.segmentFiles(dir);
    assertTrue(files.size() >= 2, "needs two segments: " + files);
    byte[] later = Files.readAllBytes(files.get(1));
    Span copied = spans(later).get(0);
    byte[] first = Files.readAllBytes(files.get(0));
    Files.write(files.get(0), Bytes.splice(first, first.length, 0, Arrays.copyOfRange(later, copied.start(), copied.end())));

    try (SegmentedLog log = SegmentedLog.open(dir, 100)) {
      List<Long> scanned = LogFiles.scanIds(log);
      assertEquals(LogFiles.ids(records), scanned);
      for (long id : scanned) {
        assertEquals(id, log.read(id, 1, Long.MAX_VALUE).get(0).id(), "read from id " + id);
      }
      assertEquals(1, log.recoveryReport().problems().size(), log.recoveryReport().problems().toString());
      assertTrue(log.recoveryReport().problems().get(0).contains("id " + copied.id() + " out of order or outside"));
    }
  }

  static Plan plan(SplittableRandom r) {
    List<LogRecord> records = new ArrayList<>();
    for (long id = 1 + r.nextInt(3), n = 1 + r.nextInt(30); n > 0; id++, n--) {
      // Now and then one larger than the reader's 64 KiB window, which must then grow.
      byte[] body = Bytes.random(r, r.nextInt(40) == 0 ? 70_000 : 40);
      records.add(new LogRecord(id, (byte) (1 + r.nextInt(4)), body));
    }
    return new Plan(records, 64 + r.nextInt(400), 1 + r.nextInt(3), r.nextLong());
  }

  private static void check(Plan plan) throws IOException {
    Path dir = root.resolve("try-" + TRIES.incrementAndGet());
    write(dir, plan.segmentBytes(), plan.records());
    Map<String, byte[]> original = readFiles(dir);
    damage(dir, original, plan.damages(), new SplittableRandom(plan.damageSeed()));
    Map<String, byte[]> damaged = readFiles(dir);
    List<Long> mustSurvive = recordsBeforeFirstDamage(original, damaged);
    Map<Long, LogRecord> written = new LinkedHashMap<>();
    plan.records().forEach(record -> written.put(record.id(), record));

    List<LogRecord> appended = new ArrayList<>();
    try (SegmentedLog log = SegmentedLog.open(dir, plan.segmentBytes())) {
      assertRecovered(log, written, mustSurvive);
      long next = Math.max(log.lastId(), 0) + 1;
      for (int i = 0; i < 5; i++) {
        appended.add(new LogRecord(next + i, RecordCodec.MESSAGE, ("appended-" + i).getBytes()));
      }
      log.append(appended.subList(0, 2));
      log.append(appended.subList(2, 5));
      log.force();
    } catch (IOException e) {
      // The one refusal docs/STORAGE.md allows, and only if damage reached a header's version.
      assertTrue(String.valueOf(e.getMessage()).contains("has format version"), e.toString());
      assertTrue(versionChanged(original, damaged), "refused without a changed version: " + e);
      return;
    }
    appended.forEach(record -> written.put(record.id(), record));
    try (SegmentedLog log = SegmentedLog.open(dir, plan.segmentBytes())) {
      List<Long> survivorsAndAppends = new ArrayList<>(mustSurvive);
      appended.forEach(record -> survivorsAndAppends.add(record.id()));
      assertRecovered(log, written, survivorsAndAppends);
    }
  }

  /** Every record the log holds was written as it is, in id order, and every one of {@code expected} is there. */
  private static void assertRecovered(SegmentedLog log, Map<Long, LogRecord> written, List<Long> expected)
      throws IOException {
    TreeMap<Long, LogRecord> found = new TreeMap<>();
    long[] previous = {Long.MIN_VALUE};
    log.scan(record -> {
      assertTrue(record.id() > previous[0], "id " + record.id() + " after " + previous[0]);
      previous[0] = record.id();
      LogRecord original = written.get(record.id());
      assertNotNull(original, "a record nobody wrote: id " + record.id());
      assertEquals(original.type(), record.type());
      assertArrayEquals(original.body(), record.body(), "body of " + record.id());
      found.put(record.id(), record);
    });
    for (LogRecord record : found.values()) {
      // Reads start from the sparse index recovery built: each record must be found from its own id.
      List<LogRecord> read = log.read(record.id(), 1, Long.MAX_VALUE);
      assertEquals(record.id(), read.get(0).id(), "read from id " + record.id());
      assertArrayEquals(record.body(), read.get(0).body());
    }
    for (long id : expected) {
      assertTrue(found.containsKey(id), "lost record " + id + " (before the first damaged byte); kept "
          + found.keySet() + ", report " + log.recoveryReport().problems());
    }
    assertEquals(found.isEmpty() ? -1 : found.lastKey(), log.lastId(), "lastId against the records it holds");
  }

  private static void write(Path dir, long segmentBytes, List<LogRecord> records) throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, segmentBytes)) {
      int half = records.size() / 2;
      log.append(records.subList(0, half));
      log.append(records.subList(half, records.size()));
    }
  }

  /** One to three of: a mutation of one file's bytes, a splice from one file into another, a deleted file. */
  private static void damage(Path dir, Map<String, byte[]> files, int count, SplittableRandom r) throws IOException {
    List<String> names = new ArrayList<>(files.keySet());
    for (int i = 0; i < count && !names.isEmpty(); i++) {
      String target = names.get(r.nextInt(names.size()));
      Path file = dir.resolve(target);
      int kind = r.nextInt(10);
      if (kind == 0) {
        Files.delete(file);
        names.remove(target);
        continue;
      }
      byte[] source = Files.readAllBytes(dir.resolve(names.get(r.nextInt(names.size()))));
      byte[] bytes = Files.readAllBytes(file);
      if (kind <= 3 && source.length > 0) {
        int from = r.nextInt(source.length);
        int length = 1 + r.nextInt(Math.min(64, source.length - from));
        int at = r.nextInt(bytes.length + 1);
        byte[] piece = new byte[length];
        System.arraycopy(source, from, piece, 0, length);
        boolean overwrite = r.nextBoolean();
        Files.write(file, Bytes.splice(bytes, at, overwrite ? Math.min(length, bytes.length - at) : 0, piece));
      } else {
        Files.write(file, Bytes.mutate(r, bytes));
      }
    }
  }

  /**
   * The ids of the records that lie wholly before the first damaged byte, in the order of the log
   * (segment files by name, then by position). A deleted file is damaged from its first byte.
   */
  private static List<Long> recordsBeforeFirstDamage(Map<String, byte[]> original, Map<String, byte[]> damaged) {
    List<Long> ids = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : original.entrySet()) {
      byte[] now = damaged.get(file.getKey());
      int firstDamaged = now == null ? 0 : firstDifference(file.getValue(), now);
      for (Span span : spans(file.getValue())) {
        if (span.end() > firstDamaged) {
          return ids;
        }
        ids.add(span.id());
      }
      if (firstDamaged < Integer.MAX_VALUE) {
        return ids; // damage after the last record still ends what the property promises
      }
    }
    return ids;
  }

  private static int firstDifference(byte[] before, byte[] after) {
    int common = Math.min(before.length, after.length);
    for (int i = 0; i < common; i++) {
      if (before[i] != after[i]) {
        return i;
      }
    }
    return before.length == after.length ? Integer.MAX_VALUE : common;
  }

  /** The records of an undamaged segment file, by the layout drawn in {@link SegmentFormat}. */
  private static List<Span> spans(byte[] file) {
    List<Span> spans = new ArrayList<>();
    ByteBuffer bytes = ByteBuffer.wrap(file);
    for (int at = SegmentFormat.HEADER_BYTES; at < file.length; ) {
      int end = at + SegmentFormat.RECORD_PREFIX_BYTES + bytes.getInt(at);
      spans.add(new Span(bytes.getLong(at + SegmentFormat.RECORD_PREFIX_BYTES + 1), at, end));
      at = end;
    }
    return spans;
  }

  private static boolean versionChanged(Map<String, byte[]> original, Map<String, byte[]> damaged) {
    return damaged.values().stream().anyMatch(bytes -> bytes.length >= SegmentFormat.HEADER_BYTES
        && Short.toUnsignedInt(ByteBuffer.wrap(bytes).getShort(4)) > SegmentFormat.CURRENT_VERSION);
  }

  /** Segment files by name, which is id order. */
  private static Map<String, byte[]> readFiles(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (Path file : LogFiles.segmentFiles(dir)) {
      files.put(file.getFileName().toString(), Files.readAllBytes(file));
    }
    return files;
  }
}
