package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When the storage thread lets a batch gather before committing (commit_wait_us), and for how long at most. */
class CommitPacingTest {
  private static final long HALF_MILLI = TimeUnit.MICROSECONDS.toNanos(500);
  /** commit_wait_us 1000, the setting docs/FOOTPRINT.md measured. */
  private static final long ONE_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void neverWaitsWhenFewerThanFourOperationsQueuedDuringThePreviousCommit() {
    CommitPacing pacing = new CommitPacing(FsyncMode.ALWAYS, ONE_MILLI);
    pacing.committed(HALF_MILLI);
    assertEquals(0, pacing.waitNanos(CommitPacing.MIN_QUEUED - 1));
    assertEquals(4, CommitPacing.MIN_QUEUED);
  }

  @Test
  void waitsAsLongAsThePreviousCommitTookWhenFourOrMoreOperationsQueuedDuringIt() {
    CommitPacing pacing = new CommitPacing(FsyncMode.ALWAYS, ONE_MILLI);
    pacing.committed(HALF_MILLI);
    assertEquals(HALF_MILLI, pacing.waitNanos(CommitPacing.MIN_QUEUED));
  }

  @Test
  void waitsAtMostTheConfiguredTimeHoweverLongTheCommitTook() {
    CommitPacing pacing = new CommitPacing(FsyncMode.ALWAYS, ONE_MILLI);
    pacing.committed(TimeUnit.MILLISECONDS.toNanos(40));
    assertEquals(ONE_MILLI, pacing.waitNanos(CommitPacing.MIN_QUEUED));
  }

  @Test
  void neverWaitsWhenCommitWaitIsZeroAsByDefault() {
    CommitPacing pacing = new CommitPacing(FsyncMode.ALWAYS, 0);
    pacing.committed(HALF_MILLI);
    assertEquals(0, pacing.waitNanos(1_000));
  }

  @Test
  void neverWaitsWithoutAForcePerBatch() {
    for (FsyncMode mode : new FsyncMode[] {FsyncMode.INTERVAL, FsyncMode.NEVER}) {
      CommitPacing pacing = new CommitPacing(mode, ONE_MILLI);
      pacing.committed(HALF_MILLI);
      assertEquals(0, pacing.waitNanos(CommitPacing.MIN_QUEUED), mode.toString());
    }
  }

  @Test
  void theFirstBatchWaitsForNothing() {
    assertEquals(0, new CommitPacing(FsyncMode.ALWAYS, ONE_MILLI).waitNanos(CommitPacing.MIN_QUEUED));
  }
}
