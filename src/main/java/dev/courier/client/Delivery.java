package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * One message delivered to a {@link Consumer}: its id, payload, key, headers and attempt, and the
 * three answers a consumer can give. It is in flight until {@link #ack()} or {@link #nack()}; past
 * the broker's ack timeout it is delivered again. Methods may be called from any thread. A
 * delivery that came over a connection since lost cannot be answered: the broker gave it back
 * when the connection dropped and delivers it again.
 */
public final class Delivery {
  private final Consumer consumer;
  private final FrameConnection connection;
  private final Frame.Message message;
  /** Set on the client's context; read by the handler on the same context. */
  private boolean settled;

  Delivery(Consumer consumer, FrameConnection connection, Frame.Message message) {
    this.consumer = consumer;
    this.connection = connection;
    this.message = message;
  }

  /** The message's id in its topic; a redelivery keeps it. */
  public long id() {
    return message.id();
  }

  public String topic() {
    return message.details() == null ? consumer.topic() : message.details().topic();
  }

  /** The payload as sent on the wire: the text, or base64 for a binary payload (see {@link #isBinary()}). */
  public String payload() {
    return message.payload();
  }

  public boolean isBinary() {
    return message.details() != null && message.details().encoding() == Frame.Encoding.BASE64;
  }

  /** The payload's bytes: decoded from base64 for a binary payload, UTF-8 of the text otherwise. */
  public byte[] bytes() {
    return isBinary() ? Base64.getDecoder().decode(message.payload())
        : message.payload().getBytes(StandardCharsets.UTF_8);
  }

  /** 1 for the first delivery, 2 for the first redelivery, ... */
  public int attempt() {
    return message.details() == null ? 1 : message.details().attempt();
  }

  /** The key given at publish, or null. */
  public String key() {
    return message.details() == null ? null : message.details().key();
  }

  /** The headers given at publish (in their order), empty when none. */
  public Map<String, String> headers() {
    Map<String, String> headers = message.details() == null ? null : message.details().headers();
    return headers == null ? Map.of() : headers;
  }

  /** When the broker stored it, epoch milliseconds. */
  public long timestampMillis() {
    return message.details() == null ? 0 : message.details().timestampMillis();
  }

  /** Done: the broker forgets it for this group. The future completes once the ack is written. */
  public Future<Void> ack() {
    return answer(new Frame.Ack(message.id()), true);
  }

  /** Failed: the broker delivers it again at once (with attempt + 1), or dead-letters it past max deliveries. */
  public Future<Void> nack() {
    return answer(new Frame.Nack(message.id(), null), true);
  }

  /** Failed, retry later: delivered again not before {@code delay} from now. */
  public Future<Void> nack(Duration delay) {
    long ms = delay.toMillis();
    if (ms < 0 || ms > Frame.Publish.MAX_DELAY_MS) {
      return Future.failedFuture(new IllegalArgumentException("nack delay must be 0.." + Frame.Publish.MAX_DELAY_MS
          + " ms, was " + ms));
    }
    return answer(new Frame.Nack(message.id(), ms), true);
  }

  /** Still working on it: the ack deadline restarts from now. */
  public Future<Void> touch() {
    return answer(new Frame.Touch(message.id()), false);
  }

  /** True once acked or nacked (by the handler, or by auto-ack). */
  public boolean isSettled() {
    return settled;
  }

  /** True when the connection it came over is gone (it will be delivered again). */
  boolean isStale() {
    return consumer.link().current() != connection;
  }

  Consumer consumer() {
    return consumer;
  }

  Frame.Message frame() {
    return message;
  }

  private Future<Void> answer(Frame frame, boolean settles) {
    CourierClient client = consumer.client();
    if (client.isOnContext()) {
      // The handler's own thread (auto-ack, or an answer from the handler): no promise and no
      // task per message; the future is the one of the write that carries this frame.
      return answerHere(frame, settles);
    }
    Promise<Void> done = Promise.promise();
    client.onContext(() -> answerHere(frame, settles).onComplete(done));
    return done.future();
  }

  private Future<Void> answerHere(Frame frame, boolean settles) {
    if (settled) {
      return Future.failedFuture(new IllegalStateException("message " + Long.toUnsignedString(id())
          + " is already acked or nacked"));
    }
    if (isStale()) {
      return Future.failedFuture(new CourierException(CourierException.Reason.CONNECTION_LOST, "the connection that"
          + " delivered message " + Long.toUnsignedString(id()) + " is gone: the broker delivers it again"));
    }
    settled |= settles;
    return connection.send(frame);
  }
}
