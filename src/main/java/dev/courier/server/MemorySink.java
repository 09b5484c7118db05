package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.Publication;

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
}
