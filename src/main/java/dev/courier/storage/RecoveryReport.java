package dev.courier.storage;

import java.util.List;

/**
 * What {@link SegmentedLog#open} found: how many segments and valid records it kept, how many bytes
 * it cut from a torn tail, and one line per problem (file, byte position and, where readable, the
 * record id). An empty {@code problems} list means the log was clean.
 */
public record RecoveryReport(int segments, long records, long truncatedBytes, List<String> problems,
    long elapsedNanos) {

  public RecoveryReport {
    problems = List.copyOf(problems);
  }

  public boolean isClean() {
    return problems.isEmpty();
  }
}
