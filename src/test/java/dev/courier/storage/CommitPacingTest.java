package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When the storage thread lets a batch gather before committing, and for how long at most. */
class CommitPacingTest {
  private static final long HALF_MILLI = TimeUnit.MICROSECONDS.toNanos(500);

  @Test
  void neverWaitsWhenFewerThanFourOperationsQueuedDuringThePreviousCommit() {
    CommitPacing pacing = new CommitPacing(FsyncMode.ALWAYS);
    pacing.committed(HALF_MILLI);
    assertEquals(0, pacing.waitNanos(CommitPacing.MIN_QUEUED - 1));
    assertEquals(4, CommitPacing.MIN_QUEUED);
  }

  @Test
  void waitsAsLongAsThePreviousCommitTookWhenFourOrMoreOperationsQueuedDuringIt() {
    CommitPacing pacing = new CommitPacing(FsyncMode.ALWAYS);
    pacing.committed(HALF_MILLI);
    assertEquals(HALF_MILLI, pacing.waitNanos(CommitPacing.MIN_QUEUED));
  }

  @Test
  void waitsAtMostOneMillisecondHoweverLongTheCommitTook() {
    CommitPacing pacing = new CommitPacing(FsyncMode.ALWAYS);
    pacing.committed(TimeUnit.MILLISECONDS.toNanos(40));
    assertEquals(CommitPacing.MAX_WAIT_NANOS, pacing.waitNanos(CommitPacing.MIN_QUEUED));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1), CommitPacing.MAX_WAIT_NANOS);
  }

  @Test
  void neverWaitsWithoutAForcePerBatch() {
    for (FsyncMode mode : new FsyncMode[] {FsyncMode.INTERVAL, FsyncMode.NEVER}) {
      CommitPacing pacing = new CommitPacing(mode);
      pacing.committed(HALF_MILLI);
      assertEquals(0, pacing.waitNanos(CommitPacing.MIN_QUEUED), mode.toString());
    }
  }

  @Test
  void theFirstBatchWaitsForNothing() {
    assertEquals(0, new CommitPacing(FsyncMode.ALWAYS).waitNanos(CommitPacing.MIN_QUEUED));
  }
}
