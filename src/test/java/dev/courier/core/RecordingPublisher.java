package dev.courier.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A producer as an adapter drives the broker, through the production entry: it records every
 * outcome and pause the core tells it, in order ("stored 3", "refused TOPIC_FULL", "paused t",
 * "resumed"). The static helpers publish one message each through a fresh one.
 */
class RecordingPublisher implements PublishListener {
  private final Broker broker;
  final Publisher handle;
  private final List<String> events = new ArrayList<>();
  private final List<Message> stored = new ArrayList<>();
  private final List<PublishRefusal> refusals = new ArrayList<>();

  RecordingPublisher(Broker broker) {
    this.broker = broker;
    this.handle = broker.publisher(this);
  }

  void publish(Publication publication) {
    broker.publish(handle, publication);
  }

  void publish(String topic, String payload) {
    publish(Publication.of(topic, payload));
  }

  /** What the admission decided, as the publisher sees it at once. */
  PublishOutcome publishAndSee(Publication publication) {
    int refusedBefore = refusals.size();
    boolean pausedBefore = handle.isPaused();
    publish(publication);
    if (refusals.size() > refusedBefore) {
      return switch (refusals.get(refusals.size() - 1)) {
        case TOPIC_FULL -> PublishOutcome.REJECTED_TOPIC_FULL;
        case LARGER_THAN_TOPIC -> PublishOutcome.REJECTED_LARGER_THAN_TOPIC;
        case UNKNOWN_TOPIC -> PublishOutcome.UNKNOWN_TOPIC;
        case TOO_MANY_TOPICS -> PublishOutcome.REJECTED_TOO_MANY_TOPICS;
        case SHUTTING_DOWN -> PublishOutcome.SHUTTING_DOWN;
        case STORAGE_FAILED -> throw new AssertionError("storage failed: " + events);
      };
    }
    if (!handle.held.isEmpty()) {
      return PublishOutcome.HELD_TOPIC_FULL;
    }
    return handle.isPaused() && !pausedBefore ? PublishOutcome.ACCEPTED_TOPIC_FULL : PublishOutcome.ACCEPTED;
  }

  /** Publishes through a fresh publisher and returns what its admission decided. */
  static PublishOutcome publish(Broker broker, Publication publication) {
    return new RecordingPublisher(broker).publishAndSee(publication);
  }

  /** Publishes to the default topic, as a seed producer does, and returns the id it was stored under. */
  static long publish(Broker broker, String payload) {
    RecordingPublisher publisher = new RecordingPublisher(broker);
    publisher.publish(Broker.DEFAULT_TOPIC, payload);
    return publisher.lastStored().id();
  }

  List<String> events() {
    return List.copyOf(events);
  }

  List<Message> stored() {
    return List.copyOf(stored);
  }

  Message lastStored() {
    if (stored.isEmpty()) {
      throw new AssertionError("nothing stored: " + events);
    }
    return stored.get(stored.size() - 1);
  }

  long count(String event) {
    return events.stream().filter(event::equals).count();
  }

  @Override
  public void stored(Message message) {
    stored.add(message);
    events.add("stored " + message.id());
  }

  @Override
  public void refused(Publication publication, PublishRefusal refusal, String detail) {
    refusals.add(refusal);
    events.add("refused " + refusal);
  }

  @Override
  public void duplicate(Publication publication, long originalId) {
    events.add("duplicate of " + originalId);
  }

  @Override
  public void paused(String topic) {
    events.add("paused " + topic);
  }

  @Override
  public void resumed() {
    events.add("resumed");
  }
}
