package dev.courier.core;

/**
 * A topic's messages still needed by some group, indexed by id: a growable ring buffer, because
 * ids are dense and a group reads by id while the topic frees from the oldest end.
 */
final class RetainedMessages {
  private Stored[] slots = new Stored[64];
  private int head;
  private int size;
  private long firstId = 1;

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

  /** The message with this id, or null if it was freed or not published yet. */
  Stored get(long id) {
    long index = id - firstId;
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
  }

  /** Id of the oldest retained message (or of the next one, when none is retained). */
  long firstId() {
    return firstId;
  }

  /** Id the next published message will get. */
  long endId() {
    return firstId + size;
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
