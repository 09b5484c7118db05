package dev.courier.storage;

/**
 * How long the storage thread lets a batch gather before it commits, so that at a moderate rate one
 * force confirms several commits' worth of publishes. Without it, at 20,000 msg/s (4 producers)
 * one force confirmed 10-16 publishes, each force with its own hand-back task and turn of the
 * owner loop; at saturation one confirms hundreds (docs/FOOTPRINT.md).
 *
 * <p>The rule: wait only when at least {@link #MIN_QUEUED} operations queued up while the previous
 * commit wrote and forced (so more are arriving while this thread works, whatever it answers),
 * only with {@code fsync: always} (the force is what the wait shares out), and for no longer than
 * the previous commit took, at most {@code commit_wait_us} (0, the default, turns it off: see
 * BrokerConfig). A producer that waits for each {@code ok} (window 1) queues at most its next
 * publish during a commit, and its consumer at most an ack, so one such pair never causes a wait;
 * under load the added wait is at most one commit's time and never more than {@code
 * commit_wait_us}. Used by the storage thread only.
 */
final class CommitPacing {
  /**
   * Fewer operations arriving during a commit means either a low rate (its fsyncs are few anyway)
   * or producers waiting for this very commit's answers (waiting would only slow them down): four
   * window-1 producers, measured alone against the store, lost 29 % of their rate when any one
   * queued operation made the next batch wait.
   */
  static final int MIN_QUEUED = 4;

  private final boolean paced;
  private final long maxWaitNanos;
  private long lastCommitNanos;

  CommitPacing(FsyncMode fsync, long maxWaitNanos) {
    this.paced = fsync == FsyncMode.ALWAYS && maxWaitNanos > 0;
    this.maxWaitNanos = maxWaitNanos;
  }

  /** The previous commit (write, force, hand-back) took this long. */
  void committed(long nanos) {
    lastCommitNanos = nanos;
  }

  /**
   * How long to wait before draining the queue into the batch whose first operation was just
   * taken, given how many operations queued up while the previous commit wrote and forced.
   */
  long waitNanos(int queuedDuringCommit) {
    if (!paced || queuedDuringCommit < MIN_QUEUED) {
      return 0;
    }
    return Math.min(maxWaitNanos, lastCommitNanos);
  }
}
