package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-flight deadlines stay ordered when they differ per message, also across a nanoTime wrap. */
class DeadlineHeapTest {
  private static Entry entry(long id, long deadlineNanos) {
    Entry entry = new Entry(RetainedMessages.Stored.paged(1), id);
    entry.deadlineNanos = deadlineNanos;
    return entry;
  }

  @Test
  void entriesComeOutInDeadlineOrderNotInTheOrderTheyWentIn() {
    DeadlineHeap heap = new DeadlineHeap();
    heap.add(entry(1, 300));
    heap.add(entry(2, 100));
    heap.add(entry(3, 200));
    List<Long> ids = new ArrayList<>();
    for (Entry e; (e = heap.poll()) != null; ) {
      ids.add(e.id);
    }
    assertEquals(List.of(2L, 3L, 1L), ids);
  }

  @Test
  void anEntryRemovedFromTheMiddleNeverComesOutAndCanBeAddedAgain() {
    DeadlineHeap heap = new DeadlineHeap();
    Entry middle = entry(2, 200);
    heap.add(entry(1, 100));
    heap.add(middle);
    heap.add(entry(3, 300));
    heap.remove(middle);
    heap.remove(middle); // harmless twice: an ack after a requeue
    assertEquals(2, heap.size());
    middle.deadlineNanos = 50;
    heap.add(middle);
    assertSame(middle, heap.peek());
  }

  @Test
  void deadlinesPastTheWrapOfNanoTimeStillCountAsLater() {
    DeadlineHeap heap = new DeadlineHeap();
    heap.add(entry(1, Long.MIN_VALUE + 10)); // wrapped: later than MAX_VALUE - 10
    heap.add(entry(2, Long.MAX_VALUE - 10));
    assertEquals(2, heap.poll().id);
    assertEquals(1, heap.poll().id);
    assertNull(heap.poll());
  }

  @Test
  void randomAddsRemovesAndPollsAgreeWithASortedList() {
    Random random = new Random(11);
    DeadlineHeap heap = new DeadlineHeap();
    List<Entry> model = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      int action = random.nextInt(3);
      if (action == 0 || model.isEmpty()) {
        Entry e = entry(step, random.nextInt(1_000)); // deadlines differ per message, ties included
        heap.add(e);
        model.add(e);
      } else if (action == 1) {
        Entry e = model.remove(random.nextInt(model.size()));
        heap.remove(e);
      } else {
        long earliest = model.stream().mapToLong(e -> e.deadlineNanos).min().orElseThrow();
        Entry polled = heap.poll();
        assertEquals(earliest, polled.deadlineNanos, "step " + step);
        model.remove(polled);
      }
      assertEquals(model.size(), heap.size());
    }
    model.sort(Comparator.comparingLong(e -> e.deadlineNanos));
    for (Entry expected : model) {
      assertEquals(expected.deadlineNanos, heap.poll().deadlineNanos);
    }
  }
}
