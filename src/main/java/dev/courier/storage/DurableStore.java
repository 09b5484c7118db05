package dev.courier.storage;

import dev.courier.core.GroupSettings;
import dev.courier.core.HistoryListener;
import dev.courier.core.Message;
import dev.courier.core.Publication;
import dev.courier.core.Storage;
import dev.courier.core.StorageOutcomes;
import dev.courier.core.StoreRequest;
import java.util.List;

/**
 * {@code storage: "durable"}, the core's {@link Storage} port on the {@link MessageStore}: a
 * message is stored once the storage thread has written it (and forced it, with
 * {@code fsync: always}); group events are journaled beside it. Every outcome goes to the broker's
 * {@link StorageOutcomes} on the owner loop, in the order the store answers (submission order).
 */
public final class DurableStore implements Storage {
  private final MessageStore store;
  private final StorageOutcomes outcomes;

  public DurableStore(MessageStore store, StorageOutcomes outcomes) {
    this.store = store;
    this.outcomes = outcomes;
  }

  @Override
  public void append(StoreRequest request) {
    Publication publication = request.publication();
    store.append(publication.topic(), publication.payload(), publication.key(), publication.headers(),
        publication.base64(), publication.dedupId(), publication.ttlMillis(), request.dueMillis(), new AppendCallback() {
          @Override
          public void stored(long id, long timestampMillis) {
            outcomes.stored(request, id, timestampMillis);
          }

          @Override
          public void failed(String reason) {
            outcomes.storeFailed(request, reason);
          }
        });
  }

  @Override
  public void load(String topic, String group, long fromId, int maxMessages, long maxBytes) {
    store.read(topic, fromId, maxMessages, maxBytes, stored -> outcomes.loaded(topic, group, fromId,
        messages(topic, stored)));
  }

  /** From the log: everything retention keeps, acked or not. */
  @Override
  public void history(String topic, long fromId, int limit, long maxBytes, HistoryListener reply) {
    store.history(topic, fromId, limit, maxBytes, stored -> reply.read(messages(topic, stored)));
  }

  @Override
  public void groupCreated(String topic, String group, long startId, GroupSettings settings) {
    store.journal(topic, new GroupEvent.GroupCreated(group, startId, settings.maxDeliveries(),
        settings.deadLetterTopic(), settings.ordering()));
  }

  @Override
  public void acked(String topic, String group, long messageId) {
    store.journal(topic, new GroupEvent.Acked(group, messageId));
  }

  @Override
  public void requeued(String topic, String group, long messageId, int attempts, long notBeforeMillis) {
    store.journal(topic, new GroupEvent.Requeued(group, messageId, attempts, notBeforeMillis));
  }

  @Override
  public void delayDue(String topic, long messageId, long dueMillis) {
    store.journal(topic, new GroupEvent.DelayDue(messageId, dueMillis));
  }

  @Override
  public void groupDeleted(String topic, String group) {
    store.journal(topic, new GroupEvent.GroupDeleted(group));
  }

  @Override
  public boolean keepsLog() {
    return true;
  }

  private static List<Message> messages(String topic, List<StoredMessage> stored) {
    return stored.stream()
        .map(m -> new Message(m.id(), topic, m.payload(), m.key(), m.headers(), m.base64(), m.timestampMillis(),
            Message.expiry(m.timestampMillis(), m.ttlMillis())))
        .toList();
  }
}
