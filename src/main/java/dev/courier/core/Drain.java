package dev.courier.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shutdown's drain: once begun, nothing is dispatched or admitted, and the callback runs when the
 * last delivery in flight is settled. Apart from {@link Broker} so that the one-shot callback and
 * its rule live in one place; the broker calls {@link #signalIfDone} wherever in-flight shrinks.
 */
final class Drain {
  /** The broker's logger: the draining line was always the broker's. */
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final TopicIndex topics;
  private final CoreContext context;
  private Runnable whenDrained;

  Drain(TopicIndex topics, CoreContext context) {
    this.topics = topics;
    this.context = context;
  }

  /** See {@link Broker#beginDrain}. */
  void begin(Runnable whenDrained) {
    context.draining = true;
    this.whenDrained = whenDrained;
    // Paused producers hold publishes no one will admit now: resume them to have them refused.
    for (Topic topic : topics.all()) {
      topic.wakeAll();
    }
    BrokerStats stats = BrokerStats.totals(topics.all(), context.inFlight.size(), context.draining);
    log.info("draining: {} in flight, {} ready", stats.inFlight(), stats.ready());
    signalIfDone();
  }

  /** Runs the callback once, when draining and nothing is in flight any more. */
  void signalIfDone() {
    if (context.draining && whenDrained != null && context.inFlight.isEmpty()) {
      Runnable callback = whenDrained;
      whenDrained = null;
      callback.run();
    }
  }
}
