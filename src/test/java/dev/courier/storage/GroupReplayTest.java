package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.core.GroupPosition;
import dev.courier.core.GroupPosition.PendingDelivery;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupReplayTest {

  private static GroupPosition only(GroupReplay replay) {
    List<GroupPosition> positions = replay.positions();
    assertEquals(1, positions.size());
    return positions.get(0);
  }

  @Test
  void aGroupCreatedAfterTheCheckpointStartsWhereItWasCreated() {
    GroupReplay replay = new GroupReplay(Checkpoint.empty());
    replay.apply(new GroupEvent.GroupCreated("g", 5));
    assertEquals(new GroupPosition("g", 5, List.of(), Set.of()), only(replay));
  }

  @Test
  void acksRemovePendingDeliveriesAndAcksAheadAreRemembered() {
    GroupReplay replay = new GroupReplay(new Checkpoint(10, List.of(
        new GroupPosition("g", 4, List.of(new PendingDelivery(2, 1), new PendingDelivery(3, 2)), Set.of()))));
    replay.apply(new GroupEvent.Acked("g", 2));
    replay.apply(new GroupEvent.Acked("g", 6));
    assertEquals(new GroupPosition("g", 4, List.of(new PendingDelivery(3, 2)), Set.of(6L)), only(replay));
  }

  @Test
  void aRequeueAheadMarksWhatWasTakenBeforeItAsPendingUnlessAcked() {
    GroupReplay replay = new GroupReplay(new Checkpoint(0, List.of(new GroupPosition("g", 1, List.of(), Set.of()))));
    replay.apply(new GroupEvent.Acked("g", 2));
    replay.apply(new GroupEvent.Requeued("g", 4, 1));
    assertEquals(new GroupPosition("g", 5,
        List.of(new PendingDelivery(1, 0), new PendingDelivery(3, 0), new PendingDelivery(4, 1)), Set.of()),
        only(replay));
  }

  @Test
  void aLaterRequeueKeepsTheLatestAttemptCount() {
    GroupReplay replay = new GroupReplay(Checkpoint.empty());
    replay.apply(new GroupEvent.GroupCreated("g", 1));
    replay.apply(new GroupEvent.Requeued("g", 1, 1));
    replay.apply(new GroupEvent.Requeued("g", 1, 2));
    assertEquals(List.of(new PendingDelivery(1, 2)), only(replay).pending());
  }

  @Test
  void eventsOfAnUnknownGroupAreIgnored() {
    GroupReplay replay = new GroupReplay(Checkpoint.empty());
    replay.apply(new GroupEvent.Acked("ghost", 1));
    assertEquals(List.of(), replay.positions());
  }
}
