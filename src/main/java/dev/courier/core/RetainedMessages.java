package dev.courier.core;

/**
 * A topic's messages still needed by some group, indexed by id: a growable ring buffer, because
 * ids are dense and a group reads by id while the topic frees from the oldest end.
 *
 * <p>One exception to density: after a restart whose log lost its newest segment, ids continue
 * far past the last message restored (storage never reuses an id). That skipped range is one
 * {@linkplain #skipTo gap} of no slots at all, rather than up to a million empty ones; it reads as
 * a lost slot and closes once the ring's oldest message before it is freed.
 */
final class RetainedMessages {
  /** What {@link #get} returns inside the gap: lost, needed by nobody, never changed. */
  private static final Stored GAP = Stored.lostRecord();

  private Stored[] slots = new Stored[64];
  private int head;
  private int size;
  private long firstId = 1;
  /** Ids gapStart..gapEnd-1 hold nothing; equal when there is no gap. */
  private long gapStart;
  private long gapEnd;

  void append(Stored stored) {
    if (size == slots.length) {
      grow();
    }
    slots[(head + size) & (slots.length - 1)] = stored;
    size++;
  }

  /** Only while empty: the next message appended gets this id (a restart continues its log). */
  void restartAt(long id) {
    if (size != 0) {
      throw new IllegalStateException("restartAt on a non-empty ring");
    }
    firstId = id;
  }

  /**
   * Only at a restart, once the restored messages are in: the next message appended gets this id,
   * ids in between being lost (a gap, not slots).
   */
  void skipTo(long id) {
    if (id <= endId()) {
      return; // nothing to skip (an id below the end is the caller's error to report)
    }
    if (gapEnd > gapStart) {
      throw new IllegalStateException("skipTo(" + id + "): the ring has a gap already");
    }
    if (size == 0) {
      firstId = id;
    } else {
      gapStart = endId();
      gapEnd = id;
    }
  }

  /** The id after {@code id} that may hold a message: past the gap when it comes next. */
  long nextAfter(long id) {
    return id + 1 >= gapStart && id + 1 < gapEnd ? gapEnd : id + 1;
  }

  /** How many ids from {@code id} to the end may hold a message (the gap not counted). */
  long countFrom(long id) {
    long count = endId() - id;
    if (id < gapEnd) {
      count -= gapEnd - Math.max(id, gapStart);
    }
    return count;
  }

  /** The message with this id, or null if it was freed or not published yet. */
  Stored get(long id) {
    if (id >= gapStart && id < gapEnd) {
      return GAP;
    }
    long index = id - firstId - (id >= gapEnd ? gapEnd - gapStart : 0);
    if (index < 0 || index >= size) {
      return null;
    }
    return slots[(int) ((head + index) & (slots.length - 1))];
  }

  Stored first() {
    return size == 0 ? null : slots[head];
  }

  void removeFirst() {
    slots[head] = null;
    head = (head + 1) & (slots.length - 1);
    size--;
    firstId++;
    if (firstId == gapStart && gapEnd > gapStart) {
      firstId = gapEnd; // everything before the gap is freed: the ring is dense again
      gapStart = gapEnd = 0;
    }
  }

  /** Id of the oldest retained message (or of the next one, when none is retained). */
  long firstId() {
    return firstId;
  }

  /** Id the next published message will get. */
  long endId() {
    return firstId + size + (gapEnd - gapStart);
  }

  int size() {
    return size;
  }

  private void grow() {
    Stored[] bigger = new Stored[slots.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = slots[(head + i) & (slots.length - 1)];
    }
    slots = bigger;
    head = 0;
  }

  /**
   * A retained message and how many groups have yet to ack it. Its message is null while it is
   * kept on disk only (paged out, to be loaded back before delivery), or for good when recovery
   * had to skip it as damaged ({@link #lost}).
   */
  static final class Stored {
    Message message;
    /** What it counts against the topic's limits, resident or not. */
    final long sizeBytes;
    boolean lost;
    /** A delayed publish not due yet ({@link TopicDelays}): groups pass over it, the head is not freed past it. */
    boolean delayed;
    int unackedGroups;

    Stored(Message message) {
      this(message, message.sizeBytes(), false);
    }

    private Stored(Message message, long sizeBytes, boolean lost) {
      this.message = message;
      this.sizeBytes = sizeBytes;
      this.lost = lost;
    }

    static Stored paged(long sizeBytes) {
      return new Stored(null, sizeBytes, false);
    }

    static Stored lostRecord() {
      return new Stored(null, 0, true);
    }

    boolean isPaged() {
      return message == null && !lost;
    }
  }
}
