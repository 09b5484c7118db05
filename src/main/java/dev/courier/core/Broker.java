package dev.courier.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's rules, as a single-threaded state machine: one queue of ready messages, the
 * messages in flight with their ack deadlines, and a ring of consumers served round-robin.
 *
 * <p>Inputs are method calls (publish, ack, subscribe, unsubscribe, {@link #expire()}) and the
 * injected {@link Clock}; outputs are calls to {@link Consumer#deliver}. Every method must be called
 * from the one thread that owns the broker; nothing here locks.
 *
 * <p>Ordering rule: the ready queue is FIFO, except that a message coming back (ack timeout or
 * consumer gone) goes to the <em>front</em>, ahead of newer messages, so it is retried first.
 */
public final class Broker {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final DeliveryPolicy policy;
  private final Clock clock;
  private final ArrayDeque<Entry> ready = new ArrayDeque<>();
  /**
   * Insertion-ordered: with one fixed ack timeout, deadlines grow in delivery order, so the sweep
   * stops at the first entry still alive and an ack is an O(1) removal.
   */
  private final LinkedHashMap<Long, Entry> inFlight = new LinkedHashMap<>();
  private final List<Subscription> ring = new ArrayList<>();
  private int cursor;
  private long nextMessageId = 1;
  private long nextSubscriptionSequence = 1;

  private boolean draining;
  private Runnable whenDrained;
  private boolean dispatching;
  private boolean dispatchRequested;

  private long published;
  private long delivered;
  private long redelivered;
  private long acked;

  public Broker(DeliveryPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  /** False once draining for shutdown began; publishes must then be refused. */
  public boolean acceptsPublishes() {
    return !draining;
  }

  /** Queues a message, dispatches what can be dispatched, and returns the id it was given. */
  public long publish(String payload) {
    if (draining) {
      throw new IllegalStateException("publish while draining; check acceptsPublishes() first");
    }
    Message message = new Message(nextMessageId++, payload, clock.wallMillis());
    ready.addLast(new Entry(message));
    published++;
    dispatch();
    return message.id();
  }

  /** Adds a consumer at the end of the round-robin ring and gives it what is waiting. */
  public Subscription subscribe(Consumer consumer) {
    Subscription subscription = new Subscription(consumer, nextSubscriptionSequence++);
    ring.add(subscription);
    dispatch();
    return subscription;
  }

  /**
   * Removes a consumer (disconnected). Its in-flight messages go back to the front of the queue
   * at once, in id order, and are offered to the remaining consumers. Calling it twice is harmless.
   */
  public void unsubscribe(Subscription subscription) {
    if (!subscription.active) {
      return;
    }
    subscription.active = false;
    int index = ring.indexOf(subscription);
    ring.remove(index);
    if (index < cursor) {
      cursor--;
    }
    List<Entry> held = new ArrayList<>(subscription.inFlight);
    for (Iterator<Entry> it = inFlight.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.holder == subscription) {
        it.remove();
        held.add(entry);
      }
    }
    subscription.inFlight = 0;
    held.sort(Comparator.comparingLong(e -> e.message.id()));
    requeueAtFront(held);
    if (!held.isEmpty()) {
      log.info("consumer {} gone; requeued {} in-flight messages (first msg={})",
          subscription.name(), held.size(), held.get(0).message.id());
    }
    signalIfDrained();
    dispatch();
  }

  public AckResult ack(Subscription subscription, long messageId) {
    Entry entry = inFlight.get(messageId);
    if (entry == null) {
      return AckResult.UNKNOWN_MESSAGE;
    }
    if (entry.holder != subscription) {
      return AckResult.NOT_OWNER;
    }
    inFlight.remove(messageId);
    subscription.inFlight--;
    acked++;
    if (log.isDebugEnabled()) {
      log.debug("acked msg={} attempt={} by {}", messageId, entry.attempts, subscription.name());
    }
    signalIfDrained();
    dispatch();
    return AckResult.ACKED;
  }

  /**
   * Requeues, at the front and in id order, every delivery whose ack deadline has passed, then
   * dispatches them again. Returns how many were requeued. While draining nothing expires: the
   * deliveries stay with their consumers, whose acks are still welcome until the drain ends.
   */
  public int expire() {
    if (draining || inFlight.isEmpty()) {
      return 0;
    }
    long now = clock.nanoTime();
    List<Entry> expired = new ArrayList<>();
    for (Iterator<Entry> it = inFlight.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.deadlineNanos - now > 0) {
        break;
      }
      it.remove();
      entry.holder.inFlight--;
      expired.add(entry);
    }
    if (expired.isEmpty()) {
      return 0;
    }
    expired.sort(Comparator.comparingLong(e -> e.message.id()));
    for (Entry entry : expired) {
      log.debug("ack timeout: msg={} attempt={} held by {}; requeued at the front",
          entry.message.id(), entry.attempts, entry.holder.name());
    }
    log.info("requeued {} messages after their ack timeout (first msg={})",
        expired.size(), expired.get(0).message.id());
    requeueAtFront(expired);
    dispatch();
    return expired.size();
  }

  /**
   * Nanoseconds until the earliest ack deadline, or {@code -1} when nothing is in flight. A
   * delivery made later always has a later deadline, so a sweep timer armed for this never misses.
   */
  public long nanosUntilNextDeadline() {
    if (inFlight.isEmpty()) {
      return -1;
    }
    Entry first = inFlight.values().iterator().next();
    return Math.max(0, first.deadlineNanos - clock.nanoTime());
  }

  /** A consumer's buffer drained: it may take messages again. */
  public void consumerWritable() {
    dispatch();
  }

  /**
   * Stops dispatching and refuses publishes; {@code whenDrained} runs once nothing is in flight
   * any more (at once if nothing is).
   */
  public void beginDrain(Runnable whenDrained) {
    draining = true;
    this.whenDrained = whenDrained;
    log.info("draining: {} in flight, {} ready", inFlight.size(), ready.size());
    signalIfDrained();
  }

  public BrokerStats stats() {
    return new BrokerStats(published, delivered, redelivered, acked,
        ready.size(), inFlight.size(), ring.size(), draining);
  }

  private void requeueAtFront(List<Entry> entriesInOrder) {
    for (int i = entriesInOrder.size() - 1; i >= 0; i--) {
      ready.addFirst(entriesInOrder.get(i));
    }
  }

  private void signalIfDrained() {
    if (draining && whenDrained != null && inFlight.isEmpty()) {
      Runnable callback = whenDrained;
      whenDrained = null;
      callback.run();
    }
  }

  /**
   * Hands ready messages to consumers while any has credit and room. Re-entrant calls (a delivery
   * whose write closes the socket, say) are folded into the running loop.
   */
  private void dispatch() {
    if (dispatching) {
      dispatchRequested = true;
      return;
    }
    dispatching = true;
    try {
      do {
        dispatchRequested = false;
        while (!draining && !ready.isEmpty()) {
          Entry entry = ready.peekFirst();
          Subscription target = pickConsumer(entry.holder);
          if (target == null) {
            break;
          }
          ready.pollFirst();
          deliver(entry, target);
        }
      } while (dispatchRequested);
    } finally {
      dispatching = false;
    }
  }

  /**
   * The next consumer in the ring with credit and room, starting at the cursor. A message that
   * comes back avoids the consumer that last held it (it may be stalled) when another can take it.
   */
  private Subscription pickConsumer(Subscription previousHolder) {
    int size = ring.size();
    int fallback = -1;
    for (int step = 0; step < size; step++) {
      int index = (cursor + step) % size;
      Subscription candidate = ring.get(index);
      if (candidate.inFlight >= policy.maxInFlightPerConsumer() || !candidate.consumer.canAccept()) {
        continue;
      }
      if (candidate == previousHolder) {
        fallback = index;
        continue;
      }
      cursor = (index + 1) % size;
      return candidate;
    }
    if (fallback >= 0) {
      cursor = (fallback + 1) % size;
      return ring.get(fallback);
    }
    return null;
  }

  private void deliver(Entry entry, Subscription target) {
    entry.attempts++;
    entry.holder = target;
    entry.deadlineNanos = clock.nanoTime() + policy.ackTimeoutNanos();
    inFlight.put(entry.message.id(), entry);
    target.inFlight++;
    delivered++;
    if (entry.attempts > 1) {
      redelivered++;
    }
    if (log.isDebugEnabled()) {
      log.debug("deliver msg={} attempt={} to {}", entry.message.id(), entry.attempts, target.name());
    }
    target.consumer.deliver(entry.message, entry.attempts);
  }
}
