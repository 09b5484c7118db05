package dev.courier.core;

/**
 * {@code storage: "memory"}: a message is kept as soon as the broker has it, under the topic's
 * next id and the injected clock's time; nothing is journaled, and a history read returns what the
 * topics still hold.
 */
final class MemoryStorage implements Storage {
  private final Broker broker;
  private final Clock clock;

  MemoryStorage(Broker broker, Clock clock) {
    this.broker = broker;
    this.clock = clock;
  }

  @Override
  public void append(StoreRequest request) {
    broker.stored(request, broker.nextId(request.publication().topic()), clock.wallMillis());
  }

  @Override
  public void load(String topic, String group, long fromId, int maxMessages, long maxBytes) {
    throw new IllegalStateException("memory storage pages nothing out, so it has nothing to load");
  }

  /** The messages are shared, not copied, so only the adapter's reply needs cutting to size. */
  @Override
  public void history(String topic, long fromId, int limit, long maxBytes, HistoryListener reply) {
    reply.read(broker.retainedMessages(topic, fromId, limit));
  }

  @Override
  public void groupCreated(String topic, String group, long startId, GroupSettings settings) {}

  @Override
  public void acked(String topic, String group, long messageId) {}

  @Override
  public void requeued(String topic, String group, long messageId, int attempts, long notBeforeMillis) {}

  @Override
  public boolean keepsLog() {
    return false;
  }
}
