package dev.courier.stomp;

import dev.courier.core.Broker;
import dev.courier.core.Message;
import dev.courier.core.Publication;
import dev.courier.core.PublishListener;
import dev.courier.core.PublishRefusal;
import dev.courier.core.Publisher;
import dev.courier.security.Principal;
import java.util.ArrayDeque;

/**
 * A STOMP connection's SENDs through the core's one publish entry, {@link Broker#publish}: the
 * core admits, holds while a topic is full (overflow=pause), stores and commits; this only turns
 * its outcomes, which come in publish order, into each SEND's outcome, and stops the connection
 * reading while the core holds it back. No broker rule lives here.
 */
final class SendPath implements PublishListener {
  /** A SEND's outcome, on the loop, in the order of the SENDs. */
  interface Outcome {
    /** Stored as {@code id}; or, {@code duplicate}, its dedup id was stored before as {@code id}. */
    void stored(long id, boolean duplicate);

    void refused(String reason);
  }

  private final StompContext context;
  private final Broker broker;
  private final Publisher publisher;
  private final Runnable updateReading;
  private final ArrayDeque<Outcome> outcomes = new ArrayDeque<>();

  SendPath(StompContext context, Runnable updateReading) {
    this.context = context;
    this.broker = context.broker();
    this.updateReading = updateReading;
    this.publisher = broker.publisher(this);
  }

  /** True while a full topic holds the connection back. */
  boolean isPaused() {
    return publisher.isPaused();
  }

  void send(Principal who, Publication publication, Outcome outcome) {
    boolean newTopic = !broker.hasTopic(publication.topic());
    outcomes.add(outcome); // before publishing: memory storage answers before publish returns
    broker.publish(publisher, publication);
    if (newTopic && broker.hasTopic(publication.topic())) {
      context.quotas().createdTopic(who); // the per-user topic quota is the adapter's to count
    }
  }

  /** The connection closed: what storage has is committed all the same; no outcome is told. */
  void close() {
    broker.closePublisher(publisher);
    outcomes.clear();
  }

  @Override
  public void stored(Message message) {
    outcomes.poll().stored(message.id(), false);
  }

  /** The publish is confirmed all the same: the first one with its dedup id is stored. */
  @Override
  public void duplicate(Publication publication, long originalId) {
    outcomes.poll().stored(originalId, true);
  }

  @Override
  public void refused(Publication publication, PublishRefusal refusal, String detail) {
    String topic = publication.topic();
    outcomes.poll().refused(switch (refusal) {
      case TOPIC_FULL -> "topic \"" + topic + "\" is full (max_topic_messages or max_topic_bytes reached); retry later";
      case LARGER_THAN_TOPIC -> "the message is larger than max_topic_bytes (" + context.config().maxTopicBytes()
          + ") and can never fit in topic \"" + topic + "\"";
      case UNKNOWN_TOPIC -> "no topic \"" + topic + "\" and auto_create_topics is off";
      case TOO_MANY_TOPICS -> "cannot create topic \"" + topic + "\": max_topics=" + context.config().maxTopics()
          + " reached; existing ones keep working";
      case SHUTTING_DOWN -> "the broker is shutting down and accepts no new messages";
      case STORAGE_FAILED -> detail != null ? detail : "storage could not keep the message";
    });
  }

  @Override
  public void paused(String topic) {
    updateReading.run();
  }

  @Override
  public void resumed() {
    updateReading.run();
  }
}
