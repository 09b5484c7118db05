package dev.courier.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SegmentedLog#open} found: how many segments and valid records it kept, how many bytes
 * it cut from a torn tail, and one line per problem (file, byte position and, where readable, the
 * record id). An empty {@code problems} list means the log was clean. {@code missingIds} lists
 * the ids that no segment holds between two segments that are there: a segment file is gone.
 */
public record RecoveryReport(int segments, long records, long truncatedBytes, List<String> problems,
    long elapsedNanos, List<MissingIds> missingIds) {

  public RecoveryReport {
    problems = List.copyOf(problems);
    missingIds = List.copyOf(missingIds);
  }

  /** Ids {@code firstId..lastId} (inclusive) lie between {@code before} and {@code after} and in neither. */
  public record MissingIds(long firstId, long lastId, Path before, Path after) {
    public long count() {
      return lastId - firstId + 1;
    }
  }

  public boolean isClean() {
    return problems.isEmpty();
  }
}
