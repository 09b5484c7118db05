package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Publishes over its client's producer connection, to any topic. The broker answers each publish
 * with one {@code ok} or {@code error}, in order; the future of each completes with that answer.
 *
 * <p><b>The window.</b> At most {@link ClientOptions#maxUnconfirmed()} publishes are held, sent
 * or waiting for the connection, and not yet confirmed. A publish beyond it fails at once with
 * {@link CourierException.Reason#WINDOW_FULL}; {@link #awaitRoom()} completes when there is room
 * again. Nothing is buffered beyond the window.
 *
 * <p><b>A lost connection.</b> Publishes sent and not yet confirmed fail with
 * {@link CourierException.Reason#CONNECTION_LOST}: the broker may have stored them or not, so
 * publish again to be sure (at-least-once). Publishes not yet sent wait in the window and go out
 * after the reconnect. A confirmed publish of a durable broker is on disk and survives its restart.
 */
public final class Producer {
  private final CourierClient client;
  /** On the client's context only: publishes waiting for a connection, and those sent awaiting their answer. */
  private final ArrayDeque<Pending> unsent = new ArrayDeque<>();
  private final ArrayDeque<Pending> unconfirmed = new ArrayDeque<>();
  private Promise<Void> room;
  private Link link;
  private boolean ended;
  private String endReason;

  private record Pending(Frame.Publish frame, Promise<PublishResult> promise) {}

  Producer(CourierClient client) {
    this.client = client;
  }

  void attach(Link link) {
    this.link = link;
  }

  /** Publishes a text {@code payload} to {@code topic}. */
  public Future<PublishResult> publish(String topic, String payload) {
    if (payload == null) {
      throw new IllegalArgumentException("a publish needs a payload");
    }
    // The frame itself, without a builder and a request around it: this is the per-message path.
    return publish(new Frame.Publish(payload, topic, null, null, null, null, null, null, null));
  }

  /** Publishes {@code request}; see the class comment for the window and lost connections. */
  public Future<PublishResult> publish(PublishRequest request) {
    return publish(request.frame());
  }

  /** For the CLI's producer: a frame built already (the seed's publish, with no topic). */
  Future<PublishResult> publish(Frame.Publish frame) {
    Promise<PublishResult> promise = Promise.promise();
    if (client.isOnContext()) {
      enqueue(new Pending(frame, promise)); // no task per publish from the client's own loop
    } else {
      client.onContext(() -> enqueue(new Pending(frame, promise)));
    }
    return promise.future();
  }

  /** True while the connection's socket is backed up; on the client's context. */
  boolean isBackedUp() {
    FrameConnection c = link.current();
    return c != null && c.writeQueueFull();
  }

  /** Calls {@code handler} once the backed-up socket drains; on the client's context. */
  void onDrain(io.vertx.core.Handler<Void> handler) {
    FrameConnection c = link.current();
    if (c != null) {
      c.drainHandler(handler);
    }
  }

  /**
   * Publishes and waits for the broker's answer, first waiting for room in the window: for plain
   * Java programs. Refuses to run on an event loop.
   *
   * @throws CourierException when the publish fails or {@code timeout} passes
   */
  public PublishResult publishAndWait(PublishRequest request, Duration timeout) {
    Blocking.refuseOnEventLoop("Producer.publishAndWait");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      Blocking.await(awaitRoom(), leftMs);
      try {
        return Blocking.await(publish(request), Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (CourierException e) {
        // Another thread took the room between the two calls: wait again, within the same deadline.
        if (e.reason() != CourierException.Reason.WINDOW_FULL || System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
    }
  }

  /** {@link #publishAndWait(PublishRequest, Duration)} of a text payload, waiting at most 30 s. */
  public PublishResult publishAndWait(String topic, String payload) {
    return publishAndWait(PublishRequest.to(topic).payload(payload).build(), Duration.ofSeconds(30));
  }

  /** Completes when the window has room for a publish (at once when it has); fails once the producer is closed. */
  public Future<Void> awaitRoom() {
    Promise<Void> promise = Promise.promise();
    client.onContext(() -> {
      if (ended) {
        promise.fail(closedError());
      } else if (held() < client.options().maxUnconfirmed) {
        promise.complete();
      } else {
        if (room == null) {
          room = Promise.promise();
        }
        room.future().onComplete(promise);
      }
    });
    return promise.future();
  }

  /** Publishes held now (sent and waiting for an answer, or waiting for a connection); read on any thread it is a snapshot. */
  public int unconfirmed() {
    return held();
  }

  private int held() {
    return unsent.size() + unconfirmed.size();
  }

  private void enqueue(Pending p) {
    if (ended) {
      p.promise.fail(closedError());
    } else if (held() >= client.options().maxUnconfirmed) {
      p.promise.fail(new CourierException(CourierException.Reason.WINDOW_FULL, "the producer already holds "
          + held() + " unconfirmed publishes (maxUnconfirmed): wait for awaitRoom()"));
    } else if (link.current() != null && unsent.isEmpty()) {
      send(link.current(), p);
    } else {
      unsent.add(p);
    }
  }

  private void send(FrameConnection connection, Pending p) {
    unconfirmed.add(p);
    connection.send(p.frame);
  }

  private void answered(Frame frame) {
    Pending p = unconfirmed.poll();
    if (p == null) {
      return; // an error that answers no publish, e.g. before a fatal close
    }
    if (frame instanceof Frame.Ok ok) {
      p.promise.complete(ok.id() == null && !ok.duplicate() ? PublishResult.PLAIN
          : new PublishResult(ok.id(), ok.duplicate()));
    } else if (frame instanceof Frame.Error error) {
      p.promise.fail(new CourierException(error));
    }
    signalRoom();
  }

  private void signalRoom() {
    if (room != null && held() < client.options().maxUnconfirmed) {
      Promise<Void> r = room;
      room = null;
      r.complete();
    }
  }

  private CourierException closedError() {
    return new CourierException(CourierException.Reason.CLOSED, "the producer is closed: " + endReason);
  }

  Future<Void> close() {
    return link.close();
  }

  Link.Listener linkListener() {
    return new Link.Listener() {
      @Override
      public void connected(FrameConnection connection) {
        while (!unsent.isEmpty()) {
          send(connection, unsent.poll());
        }
      }

      @Override
      public void frame(FrameConnection connection, Frame frame) {
        if (frame instanceof Frame.Ok || frame instanceof Frame.Error) {
          answered(frame);
        }
      }

      @Override
      public void disconnected(String reason) {
        failAll(unconfirmed, new CourierException(CourierException.Reason.CONNECTION_LOST,
            "the connection was lost before the broker confirmed this publish (" + reason
                + "): it may or may not be stored"));
      }

      @Override
      public void ended(String reason) {
        ended = true;
        endReason = reason;
        CourierException closed = closedError();
        if (room != null) {
          Promise<Void> r = room;
          room = null;
          r.fail(closed);
        }
        failAll(unconfirmed, closed);
        failAll(unsent, closed);
      }
    };
  }

  private void failAll(ArrayDeque<Pending> pending, CourierException error) {
    while (!pending.isEmpty()) {
      pending.poll().promise.fail(error);
    }
    if (!ended) {
      signalRoom();
    }
  }
}
