package dev.courier.storage;

import java.nio.file.Path;

/**
 * How durable storage behaves; the meaning of each is in {@code BrokerConfig}.
 *
 * @param maxDiskBytes refuse appends past this many bytes of logs in all; 0 for no limit
 * @param topicMemoryBytes recovery loads a topic's messages into memory up to this many bytes of
 *     their estimated heap cost ({@link dev.courier.core.ResidentSize}); the rest are read back when
 *     their turn comes
 * @param maxOpenFiles segment channels open at once, over every topic; the least recently used
 *     closes when one more is needed
 * @param commitWaitNanos with fsync always, the longest a commit waits for company (CommitPacing); 0 never
 */
public record StorageOptions(Path dataDir, FsyncMode fsync, long fsyncIntervalMs, long segmentBytes,
    long retentionMs, long retentionBytes, long maxDiskBytes, long topicMemoryBytes, int maxOpenFiles,
    long commitWaitNanos) {
  /** No commit pacing. */
  public StorageOptions(Path dataDir, FsyncMode fsync, long fsyncIntervalMs, long segmentBytes, long retentionMs,
      long retentionBytes, long maxDiskBytes, long topicMemoryBytes, int maxOpenFiles) {
    this(dataDir, fsync, fsyncIntervalMs, segmentBytes, retentionMs, retentionBytes, maxDiskBytes, topicMemoryBytes,
        maxOpenFiles, 0);
  }
}
