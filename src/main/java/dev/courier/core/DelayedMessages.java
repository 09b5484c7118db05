package dev.courier.core;

import java.util.Arrays;

/**
 * A topic's delayed publishes not yet due: a binary min-heap of (due time, id) pairs in two
 * primitive arrays, so that a million pending delays cost 16 bytes each here and no object (their
 * messages are ordinary slots of the topic, paged out to disk like any deep backlog). Ordered by
 * due time, then id, which is also the order they are released in.
 *
 * <p>Released pairs leave a watermark: every delayed message at or below it, in that order, has
 * been released to the groups. A checkpoint keeps the watermark (in each group's position), the
 * journal its later moves, so that a restart tells a delay still pending from one released and
 * acked (see docs/STORAGE.md).
 */
final class DelayedMessages {
  private long[] due = new long[0];
  private long[] ids = new long[0];
  private int size;
  private long watermarkMillis;
  private long watermarkId;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest due time (epoch ms); only when not empty. */
  long firstDueMillis() {
    return due[0];
  }

  /** Whether a message with this due time and id would already be released: at or below the watermark. */
  boolean isReleased(long dueMillis, long id) {
    return dueMillis < watermarkMillis || dueMillis == watermarkMillis && id <= watermarkId;
  }

  long watermarkMillis() {
    return watermarkMillis;
  }

  long watermarkId() {
    return watermarkId;
  }

  /** After a restart: what the checkpoint and journal say was released last. */
  void restoreWatermark(long dueMillis, long id) {
    if (!isReleased(dueMillis, id)) {
      watermarkMillis = dueMillis;
      watermarkId = id;
    }
  }

  /** Adds a pending delay; true when it became the earliest. */
  boolean add(long dueMillis, long id) {
    if (size == due.length) {
      int capacity = Math.max(16, size * 2);
      due = Arrays.copyOf(due, capacity);
      ids = Arrays.copyOf(ids, capacity);
    }
    int index = size++;
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      if (!before(dueMillis, id, due[parent], ids[parent])) {
        break;
      }
      due[index] = due[parent];
      ids[index] = ids[parent];
      index = parent;
    }
    due[index] = dueMillis;
    ids[index] = id;
    return index == 0;
  }

  /**
   * Takes off the earliest pending delay if it is due at {@code nowMillis}, moving the watermark
   * to it; returns its id, or -1 when none is due.
   */
  long pollDue(long nowMillis) {
    if (size == 0 || due[0] > nowMillis) {
      return -1;
    }
    long id = ids[0];
    watermarkMillis = due[0];
    watermarkId = id;
    size--;
    if (size > 0) {
      siftDown(due[size], ids[size]);
    }
    if (size == 0 && due.length > 1024) {
      due = new long[0]; // a burst of delays is over: give its arrays back
      ids = new long[0];
    }
    return id;
  }

  /** How many pending delays have an id at or above {@code fromId} (a lagging group's cursor has them ahead). */
  long countFrom(long fromId) {
    long count = 0;
    for (int i = 0; i < size; i++) {
      if (ids[i] >= fromId) {
        count++;
      }
    }
    return count;
  }

  private void siftDown(long dueMillis, long id) {
    int index = 0;
    while (true) {
      int child = 2 * index + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(due[child + 1], ids[child + 1], due[child], ids[child])) {
        child++;
      }
      if (!before(due[child], ids[child], dueMillis, id)) {
        break;
      }
      due[index] = due[child];
      ids[index] = ids[child];
      index = child;
    }
    due[index] = dueMillis;
    ids[index] = id;
  }

  private static boolean before(long dueA, long idA, long dueB, long idB) {
    return dueA < dueB || dueA == dueB && idA < idB;
  }
}
