package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.core.GroupPosition.PendingDelivery;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each journaled group event means when recovery replays it over the checkpoint. */
class JournalReplayTest {

  private static GroupPosition only(JournalReplay replay) {
    List<GroupPosition> positions = replay.positions();
    assertEquals(1, positions.size());
    return positions.get(0);
  }

  @Test
  void aGroupCreatedAfterTheCheckpointStartsWhereItWasCreated() {
    JournalReplay replay = new JournalReplay(List.of());
    replay.groupCreated("g", 5);
    assertEquals(new GroupPosition("g", 5, List.of(), Set.of()), only(replay));
  }

  @Test
  void acksRemovePendingDeliveriesAndAcksAheadAreRemembered() {
    JournalReplay replay = new JournalReplay(List.of(
        new GroupPosition("g", 4, List.of(new PendingDelivery(2, 1), new PendingDelivery(3, 2)), Set.of())));
    replay.acked("g", 2);
    replay.acked("g", 6);
    assertEquals(new GroupPosition("g", 4, List.of(new PendingDelivery(3, 2)), Set.of(6L)), only(replay));
  }

  @Test
  void aRequeueAheadMarksWhatWasTakenBeforeItAsPendingUnlessAcked() {
    JournalReplay replay = new JournalReplay(List.of(new GroupPosition("g", 1, List.of(), Set.of())));
    replay.acked("g", 2);
    replay.requeued("g", 4, 1);
    assertEquals(new GroupPosition("g", 5,
        List.of(new PendingDelivery(1, 0), new PendingDelivery(3, 0), new PendingDelivery(4, 1)), Set.of()),
        only(replay));
  }

  @Test
  void aDelayDueIsPendingForTheGroupsThatHadPassedItAndMovesEveryGroupsWatermark() {
    JournalReplay replay = new JournalReplay(List.of(new GroupPosition("ahead", 9, List.of(), Set.of()),
        new GroupPosition("behind", 3, List.of(), Set.of(), null, 100, 1)));
    replay.delayDue(5, 200);
    replay.delayDue(2, 150); // not below the watermark it already reached: it stays at (200, 5)

    assertEquals(List.of(new GroupPosition("ahead", 9, List.of(new PendingDelivery(2, 0), new PendingDelivery(5, 0)),
        Set.of(), null, 200, 5), new GroupPosition("behind", 3, List.of(new PendingDelivery(2, 0)), Set.of(), null,
        200, 5)), replay.positions());
  }

  @Test
  void aLaterRequeueKeepsTheLatestAttemptCount() {
    JournalReplay replay = new JournalReplay(List.of());
    replay.groupCreated("g", 1);
    replay.requeued("g", 1, 1);
    replay.requeued("g", 1, 2);
    assertEquals(List.of(new PendingDelivery(1, 2)), only(replay).pending());
  }

  @Test
  void eventsOfAnUnknownGroupAreIgnored() {
    JournalReplay replay = new JournalReplay(List.of());
    replay.acked("ghost", 1);
    assertEquals(List.of(), replay.positions());
  }
}
