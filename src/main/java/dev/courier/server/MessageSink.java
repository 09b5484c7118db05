package dev.courier.server;

import dev.courier.core.Message;
import dev.courier.core.Publication;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where an admitted publication goes before it becomes visible to consumers: memory (at once) or
 * disk (after the write, and the fsync if configured). Both call back on the broker's loop.
 */
interface MessageSink {

  /** True when {@link #store} calls back before it returns: no reply can overtake another. */
  boolean isSynchronous();

  void store(Publication publication, StoreCallback callback);

  /**
   * Retained messages of a topic for a {@code history} frame, about {@code maxBytes} at most (the
   * first whatever its size); the callback runs on the loop.
   */
  void history(String topic, long fromId, int limit, long maxBytes, Consumer<List<Message>> callback);

  interface StoreCallback {
    /** Kept under {@code id}: commit it to the broker and confirm. */
    void stored(long id, long timestampMillis);

    /** Not kept: abandon it in the broker and tell the producer why. */
    void failed(String reason);
  }
}
