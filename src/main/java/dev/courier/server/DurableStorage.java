package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.Message;
import dev.courier.core.MessagePager;
import dev.courier.core.Publication;
import java.util.List;
import java.util.function.Consumer;
import dev.courier.core.StateJournal;
import dev.courier.storage.AppendCallback;
import dev.courier.storage.GroupEvent;
import dev.courier.storage.MessageStore;

/**
 * {@code storage: "durable"}: a publish is confirmed once the storage thread has written it (and
 * forced it, with {@code fsync: always}); group state changes are journaled beside it.
 */
final class DurableStorage implements MessageSink, StateJournal, MessagePager {
  private final MessageStore store;
  private Broker broker;

  DurableStorage(MessageStore store) {
    this.store = store;
  }

  /** The broker that paged-out messages are loaded back into; set once, before any traffic. */
  void attach(Broker broker) {
    this.broker = broker;
  }

  @Override
  public void load(String topic, String group, long fromId, int maxMessages, long maxBytes) {
    store.read(topic, fromId, maxMessages, maxBytes, stored -> broker.loaded(topic, group, fromId, stored.stream()
        .map(m -> new Message(m.id(), topic, m.payload(), m.key(), m.headers(), m.base64(), m.timestampMillis()))
        .toList()));
  }

  @Override
  public boolean isSynchronous() {
    return false;
  }

  @Override
  public void store(Publication publication, StoreCallback callback) {
    store.append(publication.topic(), publication.payload(), publication.key(), publication.headers(),
        publication.base64(), new AppendCallback() {
          @Override
          public void stored(long id, long timestampMillis) {
            callback.stored(id, timestampMillis);
          }

          @Override
          public void failed(String reason) {
            callback.failed(reason);
          }
        });
  }

  /** From the log: everything retention keeps, acked or not. */
  @Override
  public void history(String topic, long fromId, int limit, long maxBytes, Consumer<List<Message>> callback) {
    if (limit == 0) {
      callback.accept(List.of()); // the log reads at least one record: do not ask it for none
      return;
    }
    store.history(topic, fromId, limit, maxBytes, stored -> callback.accept(stored.stream()
        .map(m -> new Message(m.id(), topic, m.payload(), m.key(), m.headers(), m.base64(), m.timestampMillis()))
        .toList()));
  }

  @Override
  public void groupCreated(String topic, String group, long startId) {
    store.journal(topic, new GroupEvent.GroupCreated(group, startId));
  }

  @Override
  public void acked(String topic, String group, long messageId) {
    store.journal(topic, new GroupEvent.Acked(group, messageId));
  }

  @Override
  public void requeued(String topic, String group, long messageId, int attempts) {
    store.journal(topic, new GroupEvent.Requeued(group, messageId, attempts));
  }
}
