package dev.courier.storage;

import dev.courier.core.GroupPosition;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** What callers of {@link MessageStore} enqueue, from any thread, for the storage thread. */
sealed interface StoreOperation {

  record Append(String topic, StoredMessage message, AppendCallback callback) implements StoreOperation {}

  record Event(String topic, GroupEvent event) implements StoreOperation {}

  record CheckpointRequest(String topic, List<GroupPosition> positions, List<dev.courier.core.DedupKey> dedupKeys)
      implements StoreOperation {}

  record Retain(Map<String, Long> firstRetainedIds, BiConsumer<String, Long> storedFrom) implements StoreOperation {}

  /**
   * A read for a client ({@code forHistory}) is answered, empty, once storage has failed, so the
   * client is not left waiting; a page for the broker's own window is not: the groups then wait
   * for messages that are still on disk for the next start, rather than skip them.
   */
  record Read(String topic, long fromId, int limit, long maxBytes, boolean forHistory,
      Consumer<List<StoredMessage>> callback) implements StoreOperation {}

  record Stop() implements StoreOperation {}
}
