package dev.courier.stomp;

import dev.courier.core.Broker;
import dev.courier.core.Publication;
import dev.courier.core.PublishOutcome;
import dev.courier.security.Principal;

/**
 * A STOMP connection's SENDs on their way into the broker: the one place that talks to the core's
 * publish route, so that it is one place to change when that route changes (issue 11). The
 * connection keeps the permission checks and the frames; this keeps a SEND held while its topic
 * is full (overflow=pause), which is one of the reasons the connection is not read.
 */
final class SendPath {
  /** A SEND's outcome, on the loop, in the order of the SENDs. */
  interface Outcome {
    void stored();

    void refused(String reason);
  }

  private final StompContext context;
  private final Broker broker;
  private final Runnable updateReading;
  private final Runnable resume = this::topicHasSpace;
  private String pausedOnTopic;
  private Publication held;
  private Outcome heldOutcome;
  private boolean closed;

  SendPath(StompContext context, Runnable updateReading) {
    this.context = context;
    this.broker = context.broker();
    this.updateReading = updateReading;
  }

  /** True while a full topic holds the connection back. */
  boolean isPaused() {
    return pausedOnTopic != null;
  }

  void send(Principal who, Publication publication, Outcome outcome) {
    boolean newTopic = !broker.hasTopic(publication.topic());
    admit(publication, outcome);
    if (newTopic && broker.hasTopic(publication.topic())) {
      context.quotas().createdTopic(who);
    }
  }

  void close() {
    closed = true;
    if (pausedOnTopic != null) {
      broker.cancelAwaitSpace(pausedOnTopic, resume);
    }
  }

  private void admit(Publication publication, Outcome outcome) {
    String topic = publication.topic();
    PublishOutcome admitted = broker.admit(publication);
    switch (admitted) {
      case ACCEPTED -> store(publication, outcome);
      case ACCEPTED_TOPIC_FULL -> {
        store(publication, outcome);
        pause(topic);
        broker.awaitSpace(topic, resume);
      }
      case HELD_TOPIC_FULL -> {
        held = publication;
        heldOutcome = outcome;
        pause(topic);
        broker.awaitSpace(publication, resume);
      }
      case REJECTED_TOPIC_FULL -> outcome.refused("topic \"" + topic
          + "\" is full (max_topic_messages or max_topic_bytes reached); retry later");
      case REJECTED_LARGER_THAN_TOPIC -> outcome.refused("the message is larger than max_topic_bytes ("
          + context.config().maxTopicBytes() + ") and can never fit in topic \"" + topic + "\"");
      case REJECTED_TOO_MANY_TOPICS -> outcome.refused("cannot create topic \"" + topic + "\": max_topics="
          + context.config().maxTopics() + " reached; existing ones keep working");
      case UNKNOWN_TOPIC -> outcome.refused("no topic \"" + topic + "\" and auto_create_topics is off");
      case SHUTTING_DOWN -> outcome.refused("the broker is shutting down and accepts no new messages");
    }
  }

  private void store(Publication publication, Outcome outcome) {
    context.store().store(publication, new StompContext.Stored() {
      @Override
      public void stored(long id, long timestampMillis) {
        // Stored is stored: commit even if this client has gone; only the RECEIPT is dropped.
        broker.commit(publication, id, timestampMillis);
        outcome.stored();
      }

      @Override
      public void failed(String reason) {
        broker.abandon(publication);
        outcome.refused(reason);
      }
    });
  }

  private void pause(String topic) {
    pausedOnTopic = topic;
    updateReading.run();
  }

  private void topicHasSpace() {
    pausedOnTopic = null;
    Publication publication = held;
    Outcome outcome = heldOutcome;
    held = null;
    heldOutcome = null;
    if (publication != null && !closed) {
      admit(publication, outcome); // before reading on, so that its RECEIPT keeps its place
    }
    updateReading.run();
  }
}
