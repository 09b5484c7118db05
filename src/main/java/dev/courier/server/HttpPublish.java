package dev.courier.server;

import dev.courier.config.BrokerConfig;
import dev.courier.core.Broker;
import dev.courier.core.Message;
import dev.courier.core.Publication;
import dev.courier.core.PublishListener;
import dev.courier.core.PublishRefusal;
import dev.courier.core.Publisher;
import dev.courier.http.BrokerView.Published;
import dev.courier.http.PublishRefused;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One publish from the HTTP API, through the core's one publish entry like a producer
 * connection's: answered with the message's id once stored (on disk with durable storage), or
 * with the core's refusal. A full topic (overflow {@code pause}) holds it at most
 * {@link #HOLD_MILLIS}; then it is dropped, never stored, and refused as {@code topic_full}. On
 * the broker's loop only.
 */
final class HttpPublish implements PublishListener {
  /** An HTTP client waits this long for room in a full topic: longer than a consumer's hiccup, shorter than a client timeout. */
  static final long HOLD_MILLIS = 5_000;

  private final Vertx vertx;
  private final Broker broker;
  private final BrokerConfig config;
  private final Promise<Published> answer;
  private final Publisher publisher;
  private long holdTimer = -1;

  private HttpPublish(Vertx vertx, Broker broker, BrokerConfig config, Promise<Published> answer) {
    this.vertx = vertx;
    this.broker = broker;
    this.config = config;
    this.answer = answer;
    this.publisher = broker.publisher(this);
  }

  static void publish(Vertx vertx, Broker broker, BrokerConfig config, Publication publication, Promise<Published> answer) {
    new HttpPublish(vertx, broker, config, answer).start(publication);
  }

  private void start(Publication publication) {
    String delayProblem = publication.isDelayed() ? broker.delayProblem(publication) : null;
    if (delayProblem != null) {
      // The core's rule, told before publishing, as a producer connection tells it.
      finish();
      answer.tryFail(PublishRefused.badRequest(delayProblem));
      return;
    }
    broker.publish(publisher, publication);
  }

  @Override
  public void stored(Message message) {
    finish();
    answer.tryComplete(new Published(message.id(), false));
  }

  @Override
  public void duplicate(Publication publication, long originalId) {
    finish();
    answer.tryComplete(new Published(originalId, true));
  }

  @Override
  public void refused(Publication publication, PublishRefusal refusal, String detail) {
    finish();
    String topic = publication.topic();
    answer.tryFail(new PublishRefused(refusal, switch (refusal) {
      case TOPIC_FULL -> "topic \"" + topic + "\" is full (max_topic_messages or max_topic_bytes reached); retry later";
      case LARGER_THAN_TOPIC -> "the message is larger than max_topic_bytes (" + config.maxTopicBytes()
          + ") and can never fit in topic \"" + topic + "\"";
      case TOO_MANY_TOPICS -> "topic \"" + topic + "\" would be new, and max_topics (" + config.maxTopics()
          + ") is reached";
      case UNKNOWN_TOPIC -> "no topic \"" + topic + "\" and auto_create_topics is off";
      case SHUTTING_DOWN -> "the broker is shutting down and accepts no new messages";
      case STORAGE_FAILED -> detail;
    }));
  }

  @Override
  public void paused(String topic) {
    holdTimer = vertx.setTimer(HOLD_MILLIS, t -> {
      holdTimer = -1;
      // Still paused (resumed() cancels this timer), so the core holds the publication: dropping it is safe.
      broker.closePublisher(publisher);
      answer.tryFail(new PublishRefused(PublishRefusal.TOPIC_FULL, "topic \"" + topic + "\" stayed full for "
          + HOLD_MILLIS + " ms (max_topic_messages or max_topic_bytes); the message was not stored; retry later"));
    });
  }

  @Override
  public void resumed() {
    vertx.cancelTimer(holdTimer);
    holdTimer = -1;
  }

  private void finish() {
    vertx.cancelTimer(holdTimer);
    broker.closePublisher(publisher);
  }
}
