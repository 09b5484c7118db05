package dev.courier.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One topic's recent {@code dedup_id}s: which message each was first published as, so that a
 * second publish with the same id within the window is answered with that message's id instead of
 * being stored again. A key whose publish is still on its way to storage is <em>pending</em>: a
 * duplicate of it waits for its outcome (the same id, or the same refusal).
 *
 * <p>Memory is bounded: at most {@link #MAX_KEYS_PER_TOPIC} keys; past it the oldest go first
 * (a duplicate of a key dropped so is stored again, as after the window). Keys are kept in publish
 * order, so the expired ones are always at the head and leave as new ones come.
 */
final class DedupWindow {
  /**
   * 100,000 keys of at most 128 bytes (the wire's limit) cost at most about 25 MiB per topic, and
   * hold two minutes (the default window) of 800 keyed publishes a second on one topic.
   */
  static final int MAX_KEYS_PER_TOPIC = 100_000;

  /** A key's first publish: stored as {@code messageId} at {@code storedAtMillis}, or still {@code pending}. */
  static final class Key {
    long messageId;
    long storedAtMillis;
    /** Duplicates that arrive meanwhile wait in its {@link StoreRequest#duplicates}. */
    StoreRequest pending;
  }

  private final LinkedHashMap<String, Key> keys = new LinkedHashMap<>();

  /** The key's first publish if it is pending or within {@code windowMillis} of {@code nowMillis}, else null. */
  Key find(String dedupId, long nowMillis, long windowMillis) {
    Key key = keys.get(dedupId);
    if (key != null && key.pending == null && nowMillis - key.storedAtMillis >= windowMillis) {
      keys.remove(dedupId);
      return null;
    }
    return key;
  }

  /** A publish with this key went to storage. */
  void pending(String dedupId, StoreRequest request, long nowMillis, long windowMillis) {
    Key key = new Key();
    key.pending = request;
    keys.remove(dedupId); // an expired one: the new key goes to the tail, in publish order
    keys.put(dedupId, key);
    trim(nowMillis, windowMillis);
  }

  /** The pending publish of this key was stored. */
  void stored(String dedupId, StoreRequest request, long messageId, long storedAtMillis) {
    Key key = keys.get(dedupId);
    if (key != null && key.pending == request) { // else trimmed past the cap meanwhile
      key.pending = null;
      key.messageId = messageId;
      key.storedAtMillis = storedAtMillis;
    }
  }

  /** The pending publish of this key was refused: the key is free again. */
  void refused(String dedupId, StoreRequest request) {
    Key key = keys.get(dedupId);
    if (key != null && key.pending == request) {
      keys.remove(dedupId);
    }
  }

  /** Keys recovered from storage, in id order. */
  void restore(List<DedupKey> restored) {
    for (DedupKey dedupKey : restored) {
      Key key = new Key();
      key.messageId = dedupKey.messageId();
      key.storedAtMillis = dedupKey.storedAtMillis();
      keys.remove(dedupKey.dedupId());
      keys.put(dedupKey.dedupId(), key);
    }
    trim(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** The stored keys still inside the window, oldest first. */
  List<DedupKey> keys(long nowMillis, long windowMillis) {
    List<DedupKey> live = new java.util.ArrayList<>();
    keys.forEach((dedupId, key) -> {
      if (key.pending == null && nowMillis - key.storedAtMillis < windowMillis) {
        live.add(new DedupKey(dedupId, key.messageId, key.storedAtMillis));
      }
    });
    return live;
  }

  int size() {
    return keys.size();
  }

  /** Drops expired keys from the head, and the oldest past the cap. */
  private void trim(long nowMillis, long windowMillis) {
    Iterator<Key> oldest = keys.values().iterator();
    while (oldest.hasNext()) {
      Key key = oldest.next();
      boolean expired = key.pending == null && nowMillis - key.storedAtMillis >= windowMillis;
      if (!expired && keys.size() <= MAX_KEYS_PER_TOPIC) {
        return;
      }
      oldest.remove();
    }
  }
}
