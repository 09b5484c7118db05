package dev.courier.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of one log directory and checks every record, deciding what each kind of
 * damage means by where it lies:
 * <ul>
 *   <li>after the last valid record of the last segment (a short record, a bad length, records
 *       with a bad CRC): a write torn by a crash. Those bytes were never acknowledged as durable,
 *       so the file is cut back to the last valid record;
 *   <li>a bad CRC with valid records after it: the record is skipped and reported; so is a valid
 *       record whose id is not above the one before it or lies outside its segment's range;
 *   <li>a length we cannot trust in an earlier segment: the rest of that segment is skipped and
 *       reported (the bytes stay on disk for inspection);
 *   <li>a missing or wrong header: the file is reported and left alone;
 *   <li>ids that no segment holds between two segments: listed in the report (a deleted segment
 *       file), for the log's owner to say what they cost.
 * </ul>
 * Every problem becomes a WARN line and an entry of the {@link RecoveryReport}.
 */
final class LogRecovery {

  private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);
  /** A badly damaged log must not produce an unbounded report; the WARN lines say it all anyway. */
  static final int MAX_REPORTED_PROBLEMS = 100;
  private static final String TEMP_SUFFIX = ".tmp";

  record Result(NavigableMap<Long, Segment> segments, RecoveryReport report) {
  }

  /** One scanned segment: where its valid records end and what damage follows them. */
  private record Scan(Segment segment, long validEnd, List<SegmentReader.Entry> trailingBad,
      SegmentReader.Entry stop) {
  }

  private final List<String> problems = new ArrayList<>();
  private int problemCount;
  private long records;
  private long truncatedBytes;
  private long previousLastId = -1;
  private final List<RecoveryReport.MissingIds> missingIds = new ArrayList<>();
  private final OpenFiles files;

  private LogRecovery(OpenFiles files) {
    this.files = files;
  }

  /** Channels are opened through {@code files}, so recovering many logs stays within its budget. */
  static Result recover(Path dir, OpenFiles files) throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(dir);
    LogRecovery recovery = new LogRecovery(files);
    List<Scan> scans = new ArrayList<>();
    List<Segment> good = recovery.segmentsWithGoodHeaders(dir);
    for (int i = 0; i < good.size(); i++) {
      long nextFirstId = i + 1 < good.size() ? good.get(i + 1).firstId : Long.MAX_VALUE;
      scans.add(recovery.scan(good.get(i), nextFirstId));
    }
    NavigableMap<Long, Segment> segments = recovery.settle(scans);
    recovery.findMissingIds(segments);
    if (recovery.problemCount > MAX_REPORTED_PROBLEMS) {
      recovery.problems.add((recovery.problemCount - MAX_REPORTED_PROBLEMS) + " more problems, see the log");
    }
    RecoveryReport report = new RecoveryReport(segments.size(), recovery.records,
        recovery.truncatedBytes, recovery.problems, System.nanoTime() - started, recovery.missingIds);
    return new Result(segments, report);
  }

  private List<Segment> segmentsWithGoodHeaders(Path dir) throws IOException {
    TreeMap<Long, Path> candidates = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        long firstId = SegmentFormat.firstIdOf(name);
        if (firstId >= 0) {
          candidates.put(firstId, file);
        } else if (name.endsWith(SegmentFormat.EXTENSION + TEMP_SUFFIX)) {
          // Only ever holds a header: a segment creation that did not reach its rename.
          log.info("Deleting unfinished segment {}", file);
          Files.delete(file);
        } else if (name.endsWith(SegmentFormat.EXTENSION)) {
          problem(file + ": not a segment name, file ignored");
        }
      }
    }
    List<Segment> good = new ArrayList<>();
    for (var candidate : candidates.entrySet()) {
      Path file = candidate.getValue();
      String headerProblem = checkHeader(file);
      if (headerProblem == null) {
        good.add(new Segment(file, candidate.getKey(), Files.size(file), files));
      } else {
        problem(file + ": " + headerProblem + ", file ignored");
      }
    }
    return good;
  }

  /** Null for a good header; a description otherwise. A newer version is an error, not damage. */
  private String checkHeader(Path file) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
    try (FileChannel channel = files.open(file, StandardOpenOption.READ)) {
      while (header.hasRemaining() && channel.read(header) >= 0) {
        // read until full or end of file
      }
    }
    if (header.hasRemaining()) {
      return "header missing (" + header.position() + " bytes)";
    }
    if (header.getInt(0) != SegmentFormat.MAGIC) {
      return "bad magic";
    }
    int version = Short.toUnsignedInt(header.getShort(4));
    if (version > SegmentFormat.CURRENT_VERSION) {
      // Skipping it would let us append ids that a newer broker already wrote: refuse instead.
      throw new IOException(file + " has format version " + version + "; this build reads up to "
          + SegmentFormat.CURRENT_VERSION + ". Run a newer Courier.");
    }
    return version < SegmentFormat.VERSION_1 ? "unknown format version " + version : null;
  }

  /**
   * A record counts only inside its segment's range, from the segment's name up to the next
   * segment's: reads find a record by that range, so one outside it (bytes of a later segment
   * that landed in this file) would be seen by a scan and missed by a read from its id (found by
   * LogRecoveryFuzzTest). It is skipped like any record out of order.
   */
  private Scan scan(Segment segment, long nextFirstId) throws IOException {
    List<SegmentReader.Entry> trailingBad = new ArrayList<>();
    long validEnd = SegmentFormat.HEADER_BYTES;
    FileChannel channel = segment.readChannel();
    SegmentReader reader = new SegmentReader(channel, SegmentFormat.HEADER_BYTES, segment.sizeBytes);
    for (SegmentReader.Entry entry; (entry = reader.next()) != null; ) {
      if (entry.kind() == SegmentReader.Kind.SHORT || entry.kind() == SegmentReader.Kind.BAD_LENGTH) {
        return new Scan(segment, validEnd, trailingBad, entry);
      }
      long id = entry.record().id();
      boolean inOrder = id > previousLastId && id >= segment.firstId && id < nextFirstId;
      if (entry.kind() == SegmentReader.Kind.BAD_CRC || !inOrder) {
        trailingBad.add(entry);
        continue;
      }
      // A valid record follows: whatever was bad before it lies in the middle and is skipped.
      trailingBad.forEach(bad -> reportSkipped(segment, bad));
      trailingBad.clear();
      segment.index.onRecord(id, entry.position());
      segment.lastId = id;
      previousLastId = id;
      validEnd = entry.end();
      records++;
    }
    return new Scan(segment, validEnd, trailingBad, null);
  }

  /** Cuts the torn tail off the last segment(s) and reports damage left in earlier ones. */
  private NavigableMap<Long, Segment> settle(List<Scan> scans) throws IOException {
    int last = scans.size() - 1;
    while (last >= 0 && truncateTail(scans.get(last))) {
      last--; // the segment held nothing valid and is gone: the one before is now the tail
    }
    NavigableMap<Long, Segment> segments = new TreeMap<>();
    for (int i = 0; i <= last; i++) {
      Scan scan = scans.get(i);
      if (i < last) {
        reportDamageLeftInPlace(scan);
      }
      segments.put(scan.segment().firstId, scan.segment());
    }
    for (int i = 0; i < last; i++) {
      // Only the tail may stay open, and only while the open-file budget has room for it.
      scans.get(i).segment().close();
    }
    return segments;
  }

  /** Truncates to the last valid record; true if the segment had none and was deleted. */
  private boolean truncateTail(Scan scan) throws IOException {
    Segment segment = scan.segment();
    long cut = segment.sizeBytes - scan.validEnd();
    if (cut > 0) {
      String why = scan.trailingBad().isEmpty() ? describe(scan.stop()) : describe(scan.trailingBad().get(0));
      problem(segment.path + ": torn tail at byte " + scan.validEnd() + " (" + why + "), truncated "
          + cut + " bytes");
      FileChannel channel = segment.writeChannel();
      channel.truncate(scan.validEnd());
      channel.force(false);
      segment.sizeBytes = scan.validEnd();
      truncatedBytes += cut;
    }
    if (segment.hasRecords()) {
      return false;
    }
    // Holds a header and nothing else: exactly the state before it was created.
    segment.close();
    Files.delete(segment.path);
    log.warn("Deleted {}: no valid record left after truncation", segment.path);
    return true;
  }

  /**
   * Ids grow by one from record to record (a log never skips an id it could have used), and a
   * segment is named after its first id; so when a segment starts above the id after the last one
   * before it, a segment file in between is gone and its records with it. Retention deletes only
   * the oldest segments, which leaves no such hole.
   */
  private void findMissingIds(NavigableMap<Long, Segment> segments) {
    Segment previous = null;
    long lastSeen = -1;
    for (Segment segment : segments.values()) {
      if (previous != null && lastSeen >= 0 && segment.firstId > lastSeen + 1) {
        RecoveryReport.MissingIds missing = new RecoveryReport.MissingIds(lastSeen + 1, segment.firstId - 1,
            previous.path, segment.path);
        missingIds.add(missing);
        // No WARN here: whoever owns the log knows whether the ids were lost or skipped on purpose
        // (a topic's id reservation), and what the loss costs.
      }
      lastSeen = Math.max(lastSeen, segment.lastId);
      previous = segment;
    }
  }

  private void reportDamageLeftInPlace(Scan scan) {
    Segment segment = scan.segment();
    scan.trailingBad().forEach(bad -> reportSkipped(segment, bad));
    SegmentReader.Entry stop = scan.stop();
    if (stop != null) {
      segment.damagedFrom = stop.position();
      problem(segment.path + ": " + describe(stop) + " at byte " + stop.position() + ", skipped the last "
          + stop.bytes() + " bytes of the segment");
    }
  }

  private void reportSkipped(Segment segment, SegmentReader.Entry bad) {
    segment.reportedBadPositions.add(bad.position());
    problem(segment.path + ": " + describe(bad) + " at byte " + bad.position() + ", record skipped");
  }

  private static String describe(SegmentReader.Entry entry) {
    return switch (entry.kind()) {
      case BAD_CRC -> "bad CRC, id " + entry.record().id() + " (unverified)";
      case VALID -> "id " + entry.record().id() + " out of order or outside its segment";
      case SHORT -> "short record, " + entry.bytes() + " bytes left";
      case BAD_LENGTH -> "implausible record length";
    };
  }

  private void problem(String description) {
    log.warn("Log recovery: {}", description);
    problemCount++;
    if (problemCount <= MAX_REPORTED_PROBLEMS) {
      problems.add(description);
    }
  }
}
