package dev.courier.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a group's failed deliveries wait: ready to go again at the front of the group, later (a
 * nack with a delay, in the broker's delayed-retry heap until due), or on their way to the
 * dead-letter topic once {@code max_deliveries} failed. Every move is journaled, so that a restart
 * finds each where it was (a delay with its due time). Part of {@link Group}.
 */
final class Retries {
  private static final Logger log = LoggerFactory.getLogger(Group.class);

  private final Group group;
  private final CoreContext context;
  /** Ready again, retried before anything new; ids ascending but for what a timeout put in front. */
  final ArrayDeque<Entry> ready = new ArrayDeque<>(1);
  /** Waiting for their retry time, by id; their due times are in the context's heap. Made on first use. */
  private Map<Long, Entry> later;
  /** Sent to the dead-letter topic and not stored there yet, in the order sent; made on first use. */
  private ArrayDeque<Entry> deadLettering;
  private Publisher deadLetterPublisher;
  long deadLettered;

  Retries(Group group, CoreContext context) {
    this.group = group;
    this.context = context;
  }

  /** Back to the front at once, in id order, journaled with their attempts. */
  void requeueAtFront(List<Entry> entries) {
    group.topic.positionsChanged();
    for (Entry entry : entries) {
      context.storage.requeued(group.topic.name, group.name, entry.id(), entry.attempts, 0);
    }
    entries.sort(Comparator.comparingLong(Entry::id));
    for (int i = entries.size() - 1; i >= 0; i--) {
      ready.addFirst(entries.get(i));
    }
  }

  /** Retried not before {@code delayMillis} from now: journaled with that wall time. */
  void retryLater(Entry entry, long delayMillis) {
    group.topic.positionsChanged();
    long notBefore = context.clock.wallMillis() + delayMillis;
    context.storage.requeued(group.topic.name, group.name, entry.id(), entry.attempts, notBefore);
    waitUntil(entry, notBefore, context.clock.nanoTime() + delayMillis * 1_000_000L);
  }

  /** After a restart: a pending delivery that a nack delayed until {@code notBeforeMillis}. */
  void restoreLater(Entry entry, long notBeforeMillis) {
    long remainingMillis = Math.max(0, notBeforeMillis - context.clock.wallMillis());
    waitUntil(entry, notBeforeMillis, context.clock.nanoTime() + remainingMillis * 1_000_000L);
  }

  private void waitUntil(Entry entry, long notBeforeMillis, long dueNanos) {
    if (later == null) {
      later = new LinkedHashMap<>();
    }
    entry.waitingIn = this;
    entry.notBeforeMillis = notBeforeMillis;
    entry.deadlineNanos = dueNanos;
    later.put(entry.id(), entry);
    context.delayedRetries.add(entry);
    if (context.delayedRetries.peek() == entry) {
      context.earlierRetry.run();
    }
  }

  /** Its retry time came (the context took it off its heap): to the front, and offered at once. */
  void due(Entry entry) {
    later.remove(entry.id());
    entry.waitingIn = null;
    entry.notBeforeMillis = 0;
    ready.addFirst(entry);
    group.dispatch();
  }

  /** Whether this entry has failed as often as the group allows: it goes to the dead-letter topic. */
  boolean isExhausted(Entry entry) {
    int max = group.maxDeliveries();
    return max > 0 && entry.attempts >= max && canDeadLetter();
  }

  /**
   * Only a valid topic name survives a restart (recovery skips other folders), so a topic whose
   * {@code <topic>.dlq} is too long keeps retrying instead: a message is never sent where it would be lost.
   */
  private boolean canDeadLetter() {
    if (!Names.isValid(group.deadLetterTopic())) {
      context.warnings.warn("topic={} group={}: max_deliveries is not applied, {} is not a valid topic name ({})",
          group.topic.name, group.name, group.deadLetterTopic(), Names.DESCRIPTION);
      return false;
    }
    return true;
  }

  /**
   * Publishes the dead letter through the one publish route; the original stays pending (and in
   * every checkpoint) until the dead letter is stored, and only then is it released.
   */
  void deadLetter(Entry entry) {
    if (deadLettering == null) {
      deadLettering = new ArrayDeque<>(1);
      deadLetterPublisher = context.publishing.publisher(new DeadLetterOutcomes());
    }
    deadLettering.addLast(entry);
    String reason = (entry.failure == null ? DeadLetterReason.TIMEOUT : entry.failure).header;
    Message original = entry.message();
    Map<String, String> headers = new LinkedHashMap<>();
    if (original.headers() != null) {
      headers.putAll(original.headers());
    }
    headers.put("x-original-topic", group.topic.name);
    headers.put("x-original-group", group.name);
    headers.put("x-original-id", Long.toString(entry.id()));
    headers.put("x-attempts", Integer.toString(entry.attempts));
    headers.put("x-reason", reason);
    String topic = group.deadLetterTopic();
    context.publishing.keepForRedrive(topic);
    context.publishing.publish(deadLetterPublisher, new Publication(topic, original.payload(), original.key(),
        headers, original.base64()));
    context.publishing.keepForRedrive(topic); // the publish may have created the topic
  }

  /** The dead letters' outcomes, in the order they were sent. */
  private final class DeadLetterOutcomes implements PublishListener {
    @Override
    public void stored(Message deadLetter) {
      Entry entry = deadLettering.pollFirst();
      deadLettered++;
      log.info("dead-lettered topic={} group={} msg={} attempts={} reason={} as topic={} msg={}", group.topic.name,
          group.name, entry.id(), entry.attempts, entry.failure == null ? "timeout" : entry.failure.header,
          deadLetter.topic(), deadLetter.id());
      group.release(entry);
    }

    @Override
    public void refused(Publication publication, PublishRefusal refusal, String detail) {
      Entry entry = deadLettering.pollFirst();
      // Never dropped: it stays pending and is tried again after an ack timeout.
      long retryMillis = Math.max(1, context.policy.ackTimeoutNanos() / 1_000_000L);
      context.warnings.warn("topic={} group={} msg={} could not be dead-lettered to topic={} ({}{}); trying again"
          + " in {} ms", group.topic.name, group.name, entry.id(), publication.topic(), refusal,
          detail == null ? "" : ": " + detail, retryMillis);
      retryLater(entry, retryMillis);
    }
  }

  /** Every entry waiting here (ready, later, being dead-lettered): pending for a checkpoint. */
  void forEachPending(Consumer<Entry> action) {
    ready.forEach(action);
    if (later != null) {
      later.values().forEach(action);
    }
    if (deadLettering != null) {
      deadLettering.forEach(action);
    }
  }

  int pendingCount() {
    return ready.size() + delayedCount() + (deadLettering == null ? 0 : deadLettering.size());
  }

  int delayedCount() {
    return later == null ? 0 : later.size();
  }

  /** The entries due at {@code now} in any group, each group's in one call: how many. */
  static int retryDue(DeadlineHeap delayed, long now) {
    List<Entry> due = new ArrayList<>();
    while (!delayed.isEmpty() && delayed.peek().deadlineNanos - now <= 0) {
      due.add(delayed.poll());
    }
    for (Entry entry : due) {
      entry.waitingIn.due(entry);
    }
    return due.size();
  }
}
