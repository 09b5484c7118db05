package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.Message;
import dev.courier.core.Publication;
import java.util.List;
import java.util.function.Consumer;

/** {@code storage: "memory"}: a message is kept as soon as the broker has it. */
final class MemorySink implements MessageSink {
  private final Broker broker;

  MemorySink(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean isSynchronous() {
    return true;
  }

  @Override
  public void store(Publication publication, StoreCallback callback) {
    callback.stored(broker.nextId(publication.topic()), System.currentTimeMillis());
  }

  /**
   * In memory the topic holds only what some group has not acked yet; the messages are shared,
   * not copied, so only the reply needs cutting to size.
   */
  @Override
  public void history(String topic, long fromId, int limit, long maxBytes, Consumer<List<Message>> callback) {
    callback.accept(broker.retainedMessages(topic, fromId, limit));
  }
}
