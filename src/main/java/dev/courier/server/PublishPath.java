package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.Message;
import dev.courier.core.Publication;
import dev.courier.core.PublishListener;
import dev.courier.core.PublishRefusal;
import dev.courier.core.Publisher;
import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.security.Principal;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer connection's publishes once they are allowed: each goes to the core's one publish
 * entry, and the core's outcomes (told in publish order) become {@code ok} and {@code error}
 * frames in reply order. The broker's rules (admission, the hold while a topic is full, commit
 * once stored) are the core's; this only answers, and tells the connection to stop reading while
 * the core says the producer is paused. Used on the connection's event loop only.
 */
final class PublishPath implements PublishListener {
  // Connection's logger: these lines are the connection's, and keep the name operators filter on.
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final String name;
  private final ConnectionContext context;
  private final Broker broker;
  private final PublishReplies replies;
  private final AccessChecks access;
  /** Re-evaluates whether the connection's socket is read; see {@link #isPaused()}. */
  private final Runnable updateReading;
  private final Publisher publisher;
  /** The reply places of the publishes not answered yet, in publish order: the order the core answers in. */
  private final ArrayDeque<PublishReplies.Slot> unanswered = new ArrayDeque<>();
  /** Set while the core handles a publish, until that publish is answered; see {@link #answer}. */
  private boolean publishing;
  private boolean answeredAtOnce;

  PublishPath(String name, ConnectionContext context, PublishReplies replies, AccessChecks access,
      Runnable updateReading) {
    this.name = name;
    this.context = context;
    this.broker = context.broker();
    this.replies = replies;
    this.access = access;
    this.updateReading = updateReading;
    this.publisher = broker.publisher(this);
  }

  /** True while a full topic holds the connection: its socket is not read. */
  boolean isPaused() {
    return publisher.isPaused();
  }

  /** A publish {@code who} may make to {@code topic}; counts the topic against who's quota if it creates it. */
  void publish(Principal who, String topic, Frame.Publish publish) {
    Publication publication = new Publication(topic, publish.payload(), publish.key(), publish.headers(),
        publish.encoding() == Frame.Encoding.BASE64, publish.dedupId(), publish.ttlMs() == null ? 0 : publish.ttlMs(),
        publish.delayMs() == null ? 0 : publish.delayMs(), publish.deliverAt() == null ? 0 : publish.deliverAt());
    String delayProblem = publication.isDelayed() ? broker.delayProblem(publication) : null;
    if (delayProblem != null) {
      // The core's rule, told before publishing; the reply keeps its place behind earlier ones.
      replies.answer(replies.reserve(), new Frame.Error(delayProblem, ErrorCode.BAD_REQUEST));
      return;
    }
    boolean newTopic = !broker.hasTopic(topic);
    publishing = true;
    answeredAtOnce = false;
    try {
      broker.publish(publisher, publication);
    } finally {
      publishing = false;
    }
    if (!answeredAtOnce) {
      unanswered.addLast(replies.reserve()); // nothing was reserved after it, so its place is right
    }
    if (newTopic && broker.hasTopic(topic)) {
      context.quotas().createdTopic(who);
    }
  }

  /**
   * The connection closes: the core stops holding its publishes and telling it outcomes. The
   * publishes it held were never admitted and get no reply; their places are skipped, so that a
   * fatal error's reply does not wait for them.
   */
  void close() {
    for (int dropped = broker.closePublisher(publisher); dropped > 0; dropped--) {
      replies.skip(unanswered.pollLast());
    }
  }

  @Override
  public void stored(Message message) {
    answer(Frame.Ok.INSTANCE);
  }

  /** A publish with a life-cycle field learns its id; a seed publish keeps exactly {"type":"ok"}. */
  @Override
  public void stored(Publication publication, Message message) {
    boolean lifecycle = publication.dedupId() != null || publication.ttlMillis() != 0 || publication.isDelayed();
    answer(lifecycle ? new Frame.Ok(message.id(), false) : Frame.Ok.INSTANCE);
  }

  @Override
  public void duplicate(Publication publication, long originalId) {
    log.debug("{} duplicate: topic={} dedup_id={} is msg={}", name, publication.topic(), publication.dedupId(),
        originalId);
    answer(new Frame.Ok(originalId, true));
  }

  @Override
  public void refused(Publication publication, PublishRefusal refusal, String detail) {
    String topic = publication.topic();
    answer(switch (refusal) {
      case TOPIC_FULL -> new Frame.Error("topic \"" + topic
          + "\" is full (max_topic_messages or max_topic_bytes reached); retry later", ErrorCode.TOPIC_FULL);
      case LARGER_THAN_TOPIC -> new Frame.Error("the message is larger than max_topic_bytes ("
          + context.config().maxTopicBytes() + ") and can never fit in topic \"" + topic + "\"", ErrorCode.TOPIC_FULL);
      case TOO_MANY_TOPICS -> access.overQuota("topic \"" + topic + "\"", "max_topics", context.config().maxTopics());
      case UNKNOWN_TOPIC -> new Frame.Error("no topic \"" + topic + "\" and auto_create_topics is off",
          ErrorCode.UNKNOWN_TOPIC);
      case SHUTTING_DOWN -> new Frame.Error("the broker is shutting down and accepts no new messages",
          ErrorCode.SHUTTING_DOWN);
      case STORAGE_FAILED -> new Frame.Error(detail, ErrorCode.STORAGE_UNAVAILABLE);
    });
  }

  @Override
  public void paused(String topic) {
    log.debug("{} paused: topic={} is full", name, topic);
    updateReading.run();
  }

  @Override
  public void resumed() {
    log.debug("{} resumed: its topic has room", name);
    updateReading.run();
  }

  /**
   * The core answers in publish order, so the oldest place is this outcome's; with none, the
   * outcome is that of the publish being made, answered before {@link #publish} reserved a place.
   */
  private void answer(Frame reply) {
    PublishReplies.Slot slot = unanswered.pollFirst();
    if (slot == null && !publishing) {
      throw new IllegalStateException(name + ": an outcome for no publish");
    }
    if (slot == null) {
      answeredAtOnce = true;
    }
    replies.answer(slot, reply);
  }
}
