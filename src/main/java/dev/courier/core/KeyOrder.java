package dev.courier.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The per-key order of a group created with {@code "ordering":"key"} (docs/PROTOCOL.md,
 * "Ordering"): of the messages with one key, one at a time is outstanding, the head of its key's
 * {@link Lane}, from its first delivery until the group is done with it (acked, dead-lettered or
 * expired); nacks, timeouts and a consumer's death leave it the head, so the key waits for its
 * retry. The key's later messages, taken from the cursor meanwhile so that other keys flow on,
 * wait in its lane in id order (publish order); when the head is released the first of them is
 * the new head and goes to the group's ready retries. A lane exists only while its key has a
 * message outstanding: the memory is per key in flight, never per key seen.
 *
 * <p>Data only, with hooks in {@link GroupDispatcher} (park, claim) and {@link Group} (release,
 * checkpoint, restore, purge, stats). Messages without a key are not ordered and never come here.
 */
final class KeyOrder {
  /**
   * The most messages one group holds back behind busy keys (some 100 bytes each, about 10 MB).
   * Past it the group stops reading ahead, and a hot key does hold other keys back: the bound
   * keeps a key with a million-message backlog from pulling the whole topic into memory.
   */
  static final int MAX_WAITING = 100_000;
  /** How many blocked keys the stats name: enough to see which keys, small enough for any frame. */
  static final int SAMPLE_KEYS = 10;
  /** A sample longer than this is cut (a key may be as long as a frame): ten of them stay a few KB. */
  static final int SAMPLE_KEY_CHARS = 200;

  /** One key with a message outstanding: its head and, in id order, those waiting behind it. */
  static final class Lane {
    final String key;
    Entry head;
    /** Made when the first message has to wait; null until then. */
    ArrayDeque<Entry> waiting;

    Lane(String key, Entry head) {
      this.key = key;
      this.head = head;
    }

    boolean isBlocking() {
      return waiting != null && !waiting.isEmpty();
    }
  }

  private final int maxWaiting;
  private final Map<String, Lane> lanes = new HashMap<>();
  private int waitingCount;
  /** After a restart: delayed retries whose message (so key) is paged out; they claim it once loaded. */
  private List<Entry> unresolved;

  KeyOrder() {
    this(MAX_WAITING);
  }

  KeyOrder(int maxWaiting) {
    this.maxWaiting = maxWaiting;
  }

  /** Whether this entry (its message resident) must wait: another message of its key is outstanding. */
  boolean mustWait(Entry entry) {
    if (entry.lane != null) {
      return entry.lane.head != entry;
    }
    String key = entry.message().key();
    return key != null && lanes.containsKey(key);
  }

  /** Whether the group may read no further ahead: {@link #MAX_WAITING} messages wait already. */
  boolean isFull() {
    return waitingCount >= maxWaiting;
  }

  /** Holds the entry back behind its key's head (see {@link #mustWait}), in id order. */
  void park(Entry entry) {
    Lane lane = lanes.get(entry.message().key());
    if (lane.waiting == null) {
      lane.waiting = new ArrayDeque<>(2);
    }
    if (lane.waiting.isEmpty() || lane.waiting.peekLast().id < entry.id) {
      lane.waiting.addLast(entry); // the usual case: the cursor reads in id order
    } else {
      List<Entry> sorted = new ArrayList<>(lane.waiting);
      sorted.add(entry);
      sorted.sort((a, b) -> Long.compare(a.id, b.id));
      lane.waiting.clear();
      lane.waiting.addAll(sorted);
    }
    entry.lane = lane;
    waitingCount++;
  }

  /** The entry is delivered: it is its key's head from now until it is released. */
  void claim(Entry entry) {
    if (entry.lane != null) {
      return; // its key's head already (a retry, or a waiting entry whose turn came)
    }
    String key = entry.message().key();
    if (key != null) {
      Lane lane = new Lane(key, entry);
      assert !lanes.containsKey(key) : "key " + key + " claimed twice";
      lanes.put(key, lane);
      entry.lane = lane;
    }
  }

  /**
   * The group is done with this entry. Returns the next entry of its key, now its head and ready
   * to be delivered, or null; a key with nothing waiting is forgotten.
   */
  Entry released(Entry entry) {
    Lane lane = entry.lane;
    if (lane == null) {
      return null;
    }
    entry.lane = null;
    if (lane.head != entry) {
      lane.waiting.remove(entry); // not its turn yet, but done with (an operator's action)
      waitingCount--;
      return null;
    }
    Entry next = lane.waiting == null ? null : lane.waiting.pollFirst();
    if (next == null) {
      lanes.remove(lane.key);
      return null;
    }
    waitingCount--;
    lane.head = next;
    return next;
  }

  /** After a restart: a delayed retry is its key's head, so that the key's other messages wait for it. */
  void restoredHead(Entry entry) {
    if (entry.message() != null) {
      claim(entry);
    } else {
      if (unresolved == null) {
        unresolved = new ArrayList<>(1);
      }
      unresolved.add(entry);
    }
  }

  /**
   * Whether every restored head knows its key; if not, storage is asked for the first unknown one
   * and the group does not deliver until it is read (once per start, for delayed retries only).
   */
  boolean resolveRestored(Topic topic) {
    if (unresolved == null) {
      return true;
    }
    for (Iterator<Entry> it = unresolved.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.stored.lost) {
        it.remove(); // recovery had to skip it: nothing to order behind it
      } else if (entry.message() != null) {
        claim(entry);
        it.remove();
      } else {
        topic.requestLoad(entry.id);
        return false;
      }
    }
    unresolved = null;
    return true;
  }

  /** Every entry waiting behind a busy key: pending for a checkpoint, needed from storage. */
  void forEachWaiting(Consumer<Entry> action) {
    if (waitingCount == 0) {
      return;
    }
    for (Lane lane : lanes.values()) {
      if (lane.waiting != null) {
        lane.waiting.forEach(action);
      }
    }
  }

  /** The lowest id waiting here, or {@link Long#MAX_VALUE}: storage must keep it. */
  long lowestWaitingId() {
    long[] lowest = {Long.MAX_VALUE};
    forEachWaiting(entry -> lowest[0] = Math.min(lowest[0], entry.id));
    return lowest[0];
  }

  int waitingCount() {
    return waitingCount;
  }

  /**
   * The group purges its ready messages, {@code purgedReady} among them: returns the waiting ones,
   * to be dropped with them, and forgets the keys whose head is purged. Heads in flight or waiting
   * for a delayed retry keep their keys.
   */
  List<Entry> purge(Collection<Entry> purgedReady) {
    List<Entry> dropped = new ArrayList<>(waitingCount);
    forEachWaiting(dropped::add);
    for (Entry entry : dropped) {
      entry.lane = null;
    }
    waitingCount = 0;
    for (Entry entry : purgedReady) {
      if (entry.lane != null && entry.lane.head == entry) {
        lanes.remove(entry.lane.key);
        entry.lane = null;
      }
    }
    for (Lane lane : lanes.values()) {
      lane.waiting = null;
    }
    return dropped;
  }

  /** The keys with messages waiting behind an unacked one: how many, and up to {@link #SAMPLE_KEYS} of them. */
  OrderingStats stats() {
    long blocked = 0;
    List<String> samples = new ArrayList<>(Math.min(SAMPLE_KEYS, lanes.size()));
    if (waitingCount > 0) {
      for (Lane lane : lanes.values()) {
        if (lane.isBlocking()) {
          blocked++;
          if (samples.size() < SAMPLE_KEYS) {
            samples.add(lane.key.length() <= SAMPLE_KEY_CHARS ? lane.key : lane.key.substring(0, SAMPLE_KEY_CHARS) + "...");
          }
        }
      }
    }
    return new OrderingStats("key", blocked, samples, (long) lanes.size(), (long) waitingCount, null);
  }
}
