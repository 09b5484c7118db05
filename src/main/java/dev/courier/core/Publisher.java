package dev.courier.core;

import java.util.ArrayDeque;

/**
 * One producing client as the broker tracks it: the handle an adapter gets from
 * {@link Broker#publisher} and passes with each publish, as a consumer passes its
 * {@link Subscription}. Touched only on the broker's owner thread.
 */
public final class Publisher {
  final PublishListener listener;
  /** Its publishes whose outcome it has not been told yet, in publish order. */
  final ArrayDeque<StoreRequest> unanswered = new ArrayDeque<>(2);
  /** Publishes not admitted yet: the first found its topic full (overflow=pause), the rest wait behind it. */
  final ArrayDeque<Publication> held = new ArrayDeque<>(1);
  /** The topic whose room it waits for, or null. */
  String waitingOn;
  /** Whether the listener was told {@link PublishListener#paused} and not yet resumed. */
  boolean listenerPaused;
  boolean closed;
  /** A redrive's: only this group of the topic receives what it publishes; null (every publisher else): every group. */
  String onlyGroup;
  /** Registered with the topic it waits on; one object, so that it can be cancelled. */
  final Runnable onSpace;

  Publisher(PublishListener listener, Publishing publishing) {
    this.listener = listener;
    this.onSpace = () -> publishing.topicHasSpace(this);
  }

  /** Whether a full topic holds it back: its adapter should publish nothing more until resumed. */
  public boolean isPaused() {
    return listenerPaused;
  }
}
