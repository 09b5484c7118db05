package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.Publication;
import dev.courier.core.PublishOutcome;
import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.security.Principal;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer connection's publishes once they are allowed: admission by the broker, a publish held
 * while its topic is full (overflow=pause), storage, and the confirmation in reply order. The
 * connection keeps the state machine and the permission checks; this keeps the topic-full pause,
 * one of the reasons the connection's socket is not read. Used on the connection's event loop only.
 */
final class PublishPath {
  // Connection's logger: these lines are the connection's, and keep the name operators filter on.
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final String name;
  private final ConnectionContext context;
  private final Broker broker;
  private final PublishReplies replies;
  private final AccessChecks access;
  /** Whether the connection still publishes; false once it closes. */
  private final BooleanSupplier producing;
  /** Re-evaluates whether the connection's socket is read; see {@link #isPaused()}. */
  private final Runnable updateReading;
  private final Runnable resumeAfterTopicFull = this::topicHasSpace;
  private String pausedOnTopic;
  /**
   * A publish that found its topic full (overflow=pause): not admitted and not answered yet, and
   * nothing after it is read, so its reply keeps its place. Admitted once the topic has room.
   */
  private Publication heldPublication;

  PublishPath(String name, ConnectionContext context, PublishReplies replies, AccessChecks access,
      BooleanSupplier producing, Runnable updateReading) {
    this.name = name;
    this.context = context;
    this.broker = context.broker();
    this.replies = replies;
    this.access = access;
    this.producing = producing;
    this.updateReading = updateReading;
  }

  /** True while a full topic holds the connection: its socket is not read. */
  boolean isPaused() {
    return pausedOnTopic != null;
  }

  /** A publish {@code who} may make to {@code topic}; counts the topic against who's quota if it creates it. */
  void publish(Principal who, String topic, Frame.Publish publish) {
    Publication publication = new Publication(topic, publish.payload(), publish.key(), publish.headers(),
        publish.encoding() == Frame.Encoding.BASE64);
    boolean newTopic = !broker.hasTopic(topic);
    admit(publication);
    if (newTopic && broker.hasTopic(topic)) {
      context.quotas().createdTopic(who);
    }
  }

  /** The connection closed: stop waiting for room. */
  void close() {
    if (pausedOnTopic != null) {
      broker.cancelAwaitSpace(pausedOnTopic, resumeAfterTopicFull);
    }
  }

  private void admit(Publication publication) {
    String topic = publication.topic();
    PublishOutcome outcome = broker.admit(publication);
    switch (outcome) {
      case ACCEPTED -> storeAndConfirm(publication);
      case ACCEPTED_TOPIC_FULL -> {
        storeAndConfirm(publication);
        pauseUntilSpace(topic);
      }
      case HELD_TOPIC_FULL -> holdUntilSpace(publication);
      case REJECTED_TOPIC_FULL -> replies.answer(null, new Frame.Error("topic \"" + topic
          + "\" is full (max_topic_messages or max_topic_bytes reached); retry later", ErrorCode.TOPIC_FULL));
      case REJECTED_LARGER_THAN_TOPIC -> replies.answer(null, new Frame.Error("the message is larger than "
          + "max_topic_bytes (" + context.config().maxTopicBytes() + ") and can never fit in topic \"" + topic + "\"",
          ErrorCode.TOPIC_FULL));
      case REJECTED_TOO_MANY_TOPICS -> access.refuseOverQuota("topic \"" + topic + "\"", "max_topics",
          context.config().maxTopics());
      case UNKNOWN_TOPIC -> replies.answer(null, new Frame.Error("no topic \"" + topic + "\" and auto_create_topics is off",
          ErrorCode.UNKNOWN_TOPIC));
      case SHUTTING_DOWN -> replies.answer(null, new Frame.Error("the broker is shutting down and accepts no new messages",
          ErrorCode.SHUTTING_DOWN));
    }
  }

  /**
   * Hands an admitted publication to storage; it becomes visible and is confirmed once stored.
   * Replies keep publish order even when a later publish is refused before an earlier one is on
   * disk: each waits behind the replies still pending.
   */
  private void storeAndConfirm(Publication publication) {
    MessageSink sink = context.sink();
    PublishReplies.Slot slot = sink.isSynchronous() ? null : replies.reserve();
    sink.store(publication, new MessageSink.StoreCallback() {
      @Override
      public void stored(long id, long timestampMillis) {
        // Stored is stored: commit even if this producer has gone; only the reply is dropped.
        broker.commit(publication, id, timestampMillis);
        replies.answer(slot, Frame.Ok.INSTANCE);
      }

      @Override
      public void failed(String reason) {
        broker.abandon(publication);
        replies.answer(slot, new Frame.Error(reason, ErrorCode.STORAGE_UNAVAILABLE));
      }
    });
  }

  private void pauseUntilSpace(String topic) {
    if (pausedOnTopic == null) {
      pausedOnTopic = topic;
      log.debug("{} paused: topic={} is full", name, topic);
      updateReading.run();
      broker.awaitSpace(topic, resumeAfterTopicFull);
    }
  }

  /** Keeps a publish that found its topic full, unanswered and unread past, until it has room. */
  private void holdUntilSpace(Publication publication) {
    heldPublication = publication;
    pausedOnTopic = publication.topic();
    log.debug("{} holds a publish: topic={} is full", name, pausedOnTopic);
    updateReading.run();
    broker.awaitSpace(publication, resumeAfterTopicFull);
  }

  private void topicHasSpace() {
    log.debug("{} resumed: topic={} has room", name, pausedOnTopic);
    pausedOnTopic = null;
    Publication held = heldPublication;
    heldPublication = null;
    if (held != null && producing.getAsBoolean()) {
      admit(held); // before reading on, so that its reply keeps its place; it may be held again
    }
    updateReading.run();
  }
}
