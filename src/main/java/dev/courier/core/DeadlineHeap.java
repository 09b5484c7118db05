package dev.courier.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every delivery in flight, ordered by its ack deadline: a binary min-heap in which each entry
 * knows its own index, so that an ack removes it in O(log n) rather than by a linear search
 * ({@code java.util.PriorityQueue.remove(Object)} is linear). Deadlines may differ per message
 * (a lease extended, a nack delay, a per-group timeout), so no insertion order is assumed. The
 * idea is nsq's {@code nsqd/in_flight_pqueue.go}. Deadlines are compared by difference, since
 * monotonic nanos may wrap past {@link Long#MAX_VALUE}.
 */
final class DeadlineHeap {
  private static final int NOT_QUEUED = -1;

  private Entry[] heap = new Entry[16];
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The entry due first, or null. */
  Entry peek() {
    return size == 0 ? null : heap[0];
  }

  void add(Entry entry) {
    if (entry.heapIndex != NOT_QUEUED) {
      throw new IllegalStateException("msg=" + entry.id + " is in the deadline heap already");
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = entry;
    entry.heapIndex = size;
    size++;
    up(entry.heapIndex);
  }

  /** Removes and returns the entry due first, or null. */
  Entry poll() {
    if (size == 0) {
      return null;
    }
    Entry first = heap[0];
    removeAt(0);
    return first;
  }

  /** Removes and returns, earliest first, every entry whose deadline is not after {@code now}. */
  List<Entry> pollDue(long now) {
    List<Entry> due = new ArrayList<>();
    while (size > 0 && heap[0].deadlineNanos - now <= 0) {
      due.add(poll());
    }
    return due;
  }

  /** Takes an entry out wherever it is (an ack, a consumer gone); harmless if it is not queued. */
  void remove(Entry entry) {
    if (entry.heapIndex != NOT_QUEUED) {
      removeAt(entry.heapIndex);
    }
  }

  private void removeAt(int index) {
    Entry removed = heap[index];
    size--;
    if (index != size) {
      heap[index] = heap[size];
      heap[index].heapIndex = index;
      heap[size] = null;
      if (!up(index)) {
        down(index);
      }
    } else {
      heap[size] = null;
    }
    removed.heapIndex = NOT_QUEUED;
  }

  /** Moves the entry at {@code index} towards the root while it is due before its parent; true if it moved. */
  private boolean up(int index) {
    int start = index;
    Entry entry = heap[index];
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      if (!before(entry, heap[parent])) {
        break;
      }
      place(heap[parent], index);
      index = parent;
    }
    place(entry, index);
    return index != start;
  }

  private void down(int index) {
    Entry entry = heap[index];
    while (true) {
      int child = 2 * index + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(heap[child + 1], heap[child])) {
        child++;
      }
      if (!before(heap[child], entry)) {
        break;
      }
      place(heap[child], index);
      index = child;
    }
    place(entry, index);
  }

  private void place(Entry entry, int index) {
    heap[index] = entry;
    entry.heapIndex = index;
  }

  private static boolean before(Entry a, Entry b) {
    return a.deadlineNanos - b.deadlineNanos < 0;
  }
}
