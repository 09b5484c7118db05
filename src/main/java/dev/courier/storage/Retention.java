package dev.courier.storage;

import java.util.List;

/**
 * Which segments of a message log may go: only those whose every message all groups have acked,
 * and of those only what {@code retention_ms} and {@code retention_bytes} do not keep for history
 * and replay. Segments go oldest first, so the answer is one id: delete every segment below it.
 */
final class Retention {
  private Retention() {}

  /**
   * @param segments the log's segments, oldest first; the last is the active one and never goes
   * @param firstRetained every message below this id was acked by every group
   * @return delete the segments whose messages all lie below this id
   */
  static long deletableBelow(List<SegmentInfo> segments, long firstRetained, long nowMillis, long retentionMs,
      long retentionBytes) {
    int acked = 0;
    while (acked < segments.size() - 1 && segments.get(acked).lastId() < firstRetained) {
      acked++;
    }
    // Keep the newest acked segments within retention_bytes, and any younger than retention_ms.
    long keptBytes = 0;
    int firstKept = acked;
    for (int i = acked - 1; i >= 0; i--) {
      SegmentInfo segment = segments.get(i);
      boolean young = retentionMs > 0 && nowMillis - segment.lastModifiedMillis() < retentionMs;
      boolean fits = retentionBytes > 0 && keptBytes + segment.sizeBytes() <= retentionBytes;
      if (!young && !fits) {
        break;
      }
      keptBytes += segment.sizeBytes();
      firstKept = i;
    }
    return firstKept < segments.size() ? segments.get(firstKept).firstId() : firstRetained;
  }
}
