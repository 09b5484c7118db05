package dev.courier.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for durable storage in core tests: keeps every committed message by id, records each
 * load the core asks for, and answers one when a test says so.
 */
final class FakeStorage implements MessagePager {
  /** One request of {@link #load}; {@code group} is null for the topic's own window. */
  record Load(String topic, String group, long fromId, int maxMessages) {}

  private final Map<Long, Message> disk = new HashMap<>();
  private final List<Load> loads = new ArrayList<>();

  @Override
  public void load(String topic, String group, long fromId, int maxMessages, long maxBytes) {
    loads.add(new Load(topic, group, fromId, maxMessages));
  }

  /** Admits and commits a message as the broker's durable path does, keeping it "on disk". */
  void publish(Broker broker, Clock clock, String topic, String payload) {
    Publication publication = Publication.of(topic, payload);
    broker.admit(publication);
    long id = broker.nextId(topic);
    disk.put(id, broker.commit(publication, id, clock.wallMillis()));
  }

  /** Answers the last load with what is on disk from its id on, as the storage thread would. */
  void answerLastLoad(Broker broker) {
    Load load = lastLoad();
    List<Message> messages = new ArrayList<>();
    for (long id = load.fromId(); id < load.fromId() + load.maxMessages() && disk.containsKey(id); id++) {
      messages.add(disk.get(id));
    }
    broker.loaded(load.topic(), load.group(), load.fromId(), messages);
  }

  List<Load> loads() {
    return loads;
  }

  Load lastLoad() {
    return loads.get(loads.size() - 1);
  }

  /** The message is gone from the disk (damaged, or deleted by retention). */
  void lose(long id) {
    disk.remove(id);
  }

  void loseEverything() {
    disk.clear();
  }
}
