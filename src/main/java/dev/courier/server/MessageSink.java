package dev.courier.server;

import dev.courier.core.Publication;

/**
 * Where an admitted publication goes before it becomes visible to consumers: memory (at once) or
 * disk (after the write, and the fsync if configured). Both call back on the broker's loop.
 */
interface MessageSink {

  /** True when {@link #store} calls back before it returns: no reply can overtake another. */
  boolean isSynchronous();

  void store(Publication publication, StoreCallback callback);

  interface StoreCallback {
    /** Kept under {@code id}: commit it to the broker and confirm. */
    void stored(long id, long timestampMillis);

    /** Not kept: abandon it in the broker and tell the producer why. */
    void failed(String reason);
  }
}
