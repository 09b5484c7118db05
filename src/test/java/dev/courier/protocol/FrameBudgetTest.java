package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker-wide budget for frame bodies in progress, with a hand-driven clock. */
class FrameBudgetTest {
  private static final long TIMEOUT_NANOS = 1_000;

  private long now;
  private final List<String> events = new ArrayList<>();
  private final FrameBudget budget = new FrameBudget(100, TIMEOUT_NANOS, () -> now);

  private final class Peer implements FrameBudget.Claimant {
    final String name;
    Runnable onGranted = () -> { };

    Peer(String name) {
      this.name = name;
    }

    @Override
    public void granted() {
      events.add(name + " granted");
      onGranted.run();
    }

    @Override
    public void timedOut(long heldNanos) {
      events.add(name + " timed out after " + heldNanos);
    }
  }

  @Test
  void aClaimThatFitsIsHeldAtOnceAndReleasedOnce() {
    Peer a = new Peer("a");
    assertTrue(budget.reserve(a, 60));
    assertEquals(60, budget.reservedBytes());

    budget.release(a);
    budget.release(a);

    assertEquals(0, budget.reservedBytes());
    assertEquals(0, budget.holders());
  }

  @Test
  void aClaimThatDoesNotFitWaitsAndIsGrantedWhenRoomFreesUp() {
    Peer a = new Peer("a");
    Peer b = new Peer("b");
    budget.reserve(a, 60);

    assertFalse(budget.reserve(b, 60));
    assertEquals(List.of(), events);
    assertEquals(1, budget.waiters());

    budget.release(a);

    assertEquals(List.of("b granted"), events);
    assertEquals(60, budget.reservedBytes());
  }

  @Test
  void waitersAreServedFirstComeFirstServedAndASmallClaimQueuesBehindABigOne() {
    Peer a = new Peer("a");
    Peer big = new Peer("big");
    Peer small = new Peer("small");
    budget.reserve(a, 50);
    budget.reserve(big, 80);

    // 10 bytes would fit, but big came first and would starve behind a stream of small claims.
    assertFalse(budget.reserve(small, 10));

    budget.release(a);
    assertEquals(List.of("big granted", "small granted"), events);
    assertEquals(90, budget.reservedBytes());
  }

  @Test
  void aWaiterThatLeavesGivesUpItsPlaceAndHoldsNothing() {
    Peer a = new Peer("a");
    Peer gone = new Peer("gone");
    Peer next = new Peer("next");
    budget.reserve(a, 90);
    budget.reserve(gone, 90);
    budget.reserve(next, 10);

    budget.release(gone);

    assertEquals(List.of("next granted"), events);
    assertEquals(100, budget.reservedBytes());
  }

  @Test
  void aClaimGrantedAndReleasedAtOnceLetsTheNextWaiterInToo() {
    Peer a = new Peer("a");
    Peer quick = new Peer("quick");
    Peer later = new Peer("later");
    quick.onGranted = () -> budget.release(quick);
    budget.reserve(a, 100);
    budget.reserve(quick, 100);
    budget.reserve(later, 100);

    budget.release(a);

    assertEquals(List.of("quick granted", "later granted"), events);
    assertEquals(100, budget.reservedBytes());
  }

  @Test
  void claimsPastTheTimeoutEndInRequestOrderAndWaitingClaimsGetTheirRoomButNotMoreTime() {
    Peer first = new Peer("first");
    Peer second = new Peer("second");
    Peer waiting = new Peer("waiting");
    budget.reserve(first, 50);
    now = 500;
    budget.reserve(second, 50);
    budget.reserve(waiting, 50);

    now = 999;
    budget.expire();
    assertEquals(List.of(), events);

    now = 1_000;
    budget.expire();
    assertEquals(List.of("first timed out after 1000", "waiting granted"), events);

    // The deadline runs from the request, waiting or not: "waiting" asked at 500 and was granted
    // at 1000, so at 1500 it is as late as "second".
    now = 1_500;
    budget.expire();
    assertEquals(List.of("second timed out after 1000", "waiting timed out after 1000"), events.subList(2, 4));
    assertEquals(4, events.size());
    assertEquals(0, budget.reservedBytes());

    // Already given back by the deadline: a release after it changes nothing.
    budget.release(first);
    assertEquals(0, budget.reservedBytes());
  }

  @Test
  void aClaimQueuedBehindHoldersThatNeverFinishEndsOneTimeoutAfterItAsked() {
    Peer holder = new Peer("holder");
    Peer queued = new Peer("queued");
    budget.reserve(holder, 100);
    now = 400;
    assertFalse(budget.reserve(queued, 10));

    now = 1_000;
    budget.expire();
    // The holder's room went to the queued claim first: it may have all its bytes already.
    assertEquals(List.of("holder timed out after 1000", "queued granted"), events);

    now = 1_400;
    budget.expire();
    assertEquals("queued timed out after 1000", events.get(2));
    assertEquals(0, budget.reservedBytes());
    assertEquals(0, budget.waiters());
  }

  @Test
  void aSplitBudgetKeepsItsSmallPartForSmallClaimsAndItsLargePartForLargeOnes() {
    FrameBudget split = FrameBudget.split(100, 20, 10, TIMEOUT_NANOS, () -> now);
    Peer large1 = new Peer("large1");
    Peer large2 = new Peer("large2");
    Peer small1 = new Peer("small1");
    Peer small2 = new Peer("small2");
    Peer small3 = new Peer("small3");
    assertTrue(split.reserve(large1, 80));
    assertFalse(split.reserve(large2, 11), "the large part is full");
    // Large claims waiting do not hold small ones back: they have their own part.
    assertTrue(split.reserve(small1, 10));
    assertTrue(split.reserve(small2, 10));
    assertFalse(split.reserve(small3, 10), "the small part is full");
    assertEquals(100, split.reservedBytes());
    assertEquals(3, split.holders());
    assertEquals(2, split.waiters());

    split.release(small1);
    split.release(large1);
    assertEquals(List.of("small3 granted", "large2 granted"), events);
    assertEquals(31, split.reservedBytes());

    now = TIMEOUT_NANOS;
    split.expire();
    assertEquals(0, split.reservedBytes(), "both parts end their claims at the deadline");
    assertEquals(5, events.size(), events.toString());
  }

  @Test
  void refusesAClaimLargerThanTheWholeBudgetOrASecondClaimOfOneClaimant() {
    Peer a = new Peer("a");
    assertThrows(IllegalArgumentException.class, () -> budget.reserve(a, 101));
    budget.reserve(a, 10);
    assertThrows(IllegalStateException.class, () -> budget.reserve(a, 10));
  }
}
