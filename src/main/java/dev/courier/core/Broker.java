package dev.courier.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's rules as a single-threaded state machine: topics, each with its groups; inside a
 * group, a ready queue, the messages in flight with their ack deadlines, and a ring of consumers
 * served round-robin within their credit.
 *
 * <p>Inputs are method calls (publish, subscribe, ack, credit, unsubscribe, {@link #expire()}) and
 * the injected {@link Clock}; outputs are calls to {@link Consumer#deliver} and to the resume
 * callbacks of paused producers. Every method must be called from the one thread that owns the
 * broker; nothing here locks.
 *
 * <p>Ordering rule, per group: messages go out in publish order, except that a message coming back
 * (ack timeout or consumer gone) goes to the <em>front</em>, ahead of newer messages.
 */
public final class Broker {
  /** Where a client that sends only seed frames publishes and consumes. */
  public static final String DEFAULT_TOPIC = "default";
  public static final String DEFAULT_GROUP = "default";

  /** How many paged-out messages one read brings back: enough for several rounds of credit. */
  static final int LOAD_CHUNK_MESSAGES = 1024;

  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final DeliveryPolicy policy;
  private final TopicLimits topicLimits;
  private final boolean autoCreateTopics;
  private final Clock clock;
  private final StateJournal journal;
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  /** The same topics by name: stats pages walk it from a cursor that stays valid as topics appear. */
  private final NavigableMap<String, Topic> topicsByName = new TreeMap<>();
  private boolean draining;
  private Runnable whenDrained;
  private MessagePager pager;
  /** Per topic; beyond it new messages stay on disk only. Unbounded without a pager. */
  private long memoryBudgetBytes = Long.MAX_VALUE;
  private int inFlightTotal;

  /** Unbounded topics created on first use: the seed's behaviour. */
  public Broker(DeliveryPolicy policy, Clock clock) {
    this(policy, TopicLimits.UNBOUNDED, true, clock);
  }

  public Broker(DeliveryPolicy policy, TopicLimits topicLimits, boolean autoCreateTopics, Clock clock) {
    this(policy, topicLimits, autoCreateTopics, clock, StateJournal.NONE);
  }

  public Broker(DeliveryPolicy policy, TopicLimits topicLimits, boolean autoCreateTopics, Clock clock,
      StateJournal journal) {
    this.policy = policy;
    this.topicLimits = topicLimits;
    this.autoCreateTopics = autoCreateTopics;
    this.clock = clock;
    this.journal = journal;
  }

  /**
   * Lets topics keep at most {@code memoryBudgetBytes} of messages in memory each: beyond that,
   * new messages stay only in storage and {@code pager} reads them back when it is their turn.
   * Call before any traffic.
   */
  public void usePager(MessagePager pager, long memoryBudgetBytes) {
    this.pager = pager;
    this.memoryBudgetBytes = memoryBudgetBytes;
  }

  /**
   * Storage read back messages asked for by {@link MessagePager#load} from {@code requestedId}: for
   * the topic's window, or for a replaying group when {@code group} is not null.
   */
  public void loaded(String topicName, String group, long requestedId, List<Message> messages) {
    Topic topic = topics.get(topicName);
    if (topic == null) {
      return;
    }
    if (group == null) {
      topic.loaded(requestedId, messages);
    } else if (topic.existingGroup(group) != null) {
      topic.existingGroup(group).replayLoaded(messages);
    }
  }

  /**
   * Storage can read this topic from {@code firstStoredId} on: a group created later at the
   * earliest replays from there what every group had acked and retention kept.
   */
  public void storedFrom(String topicName, long firstStoredId) {
    Topic topic = topics.get(topicName);
    if (topic != null) {
      topic.storedFrom(firstStoredId);
    }
  }

  /** Declares a topic up front (needed when topics are not created on first use). */
  public void createTopic(String name) {
    topics.computeIfAbsent(name, n -> {
      log.info("topic={} created", n);
      Topic topic = new Topic(this, n, topicLimits);
      topicsByName.put(n, topic);
      return topic;
    });
  }

  /** Whether a client may name this topic: it exists, or topics are created on first use. */
  public boolean knowsTopic(String name) {
    return autoCreateTopics || topics.containsKey(name);
  }

  /** False once draining for shutdown began; publishes are then refused. */
  public boolean acceptsPublishes() {
    return !draining;
  }

  /**
   * Queues a message on its topic and dispatches what can be dispatched: {@link #admit} and
   * {@link #commit} at once, for storage that keeps nothing but memory.
   */
  public PublishOutcome publish(Publication publication) {
    PublishOutcome outcome = admit(publication);
    if (outcome.isAccepted()) {
      Topic topic = topics.get(publication.topic());
      commit(publication, topic.retained.endId(), clock.wallMillis());
    }
    return outcome;
  }

  /** Publishes to the default topic and returns the id it was given; the seed's publish. */
  public long publish(String payload) {
    if (draining) {
      throw new IllegalStateException("publish while draining; check acceptsPublishes() first");
    }
    Publication publication = Publication.of(DEFAULT_TOPIC, payload);
    publish(publication);
    return topics.get(DEFAULT_TOPIC).retained.endId() - 1;
  }

  /**
   * First half of a durable publish: decides whether the topic takes the message and reserves its
   * room. An accepted publication must then be {@linkplain #commit committed} once storage has
   * it, or {@linkplain #abandon abandoned} if storage failed.
   */
  public PublishOutcome admit(Publication publication) {
    if (draining) {
      return PublishOutcome.SHUTTING_DOWN;
    }
    Topic topic = topic(publication.topic());
    if (topic == null) {
      return PublishOutcome.UNKNOWN_TOPIC;
    }
    if (topic.isFull() && topic.limits().overflow() == TopicLimits.Overflow.REJECT) {
      return PublishOutcome.REJECTED_TOPIC_FULL;
    }
    topic.admitted(sizeOf(publication));
    // Only overflow=pause holds the producer back; with reject, its next publish is refused instead.
    return topic.isFull() && topic.limits().overflow() == TopicLimits.Overflow.PAUSE
        ? PublishOutcome.ACCEPTED_TOPIC_FULL : PublishOutcome.ACCEPTED;
  }

  /**
   * Second half: the message is stored under {@code id} (the topic's next id; storage assigns ids
   * in commit order) and now goes to the groups.
   */
  public Message commit(Publication publication, long id, long timestampMillis) {
    Message message = topics.get(publication.topic()).commit(publication, id, timestampMillis);
    if (log.isDebugEnabled()) {
      log.debug("published topic={} msg={} ({} bytes)", message.topic(), id, message.sizeBytes());
    }
    return message;
  }

  /** Storage could not keep an admitted message: release its room. */
  public void abandon(Publication publication) {
    topics.get(publication.topic()).abandoned(sizeOf(publication));
  }

  /** The id the next committed message of this topic must have (for storage that assigns ids). */
  public long nextId(String topicName) {
    Topic topic = topics.get(topicName);
    return topic == null ? 1 : topic.retained.endId();
  }

  /**
   * Rebuilds a topic after a restart from what storage recovered, before any traffic: the messages
   * some group still needs that fit in memory ({@code resident}, dense ids but for damaged gaps),
   * then the sizes of those left on disk from {@code pagedFromId} on (read back through the pager
   * when needed), the id its log continues with, and where each group stood.
   */
  public void restore(String topicName, long nextId, List<Message> resident, long pagedFromId, long[] pagedSizes,
      List<GroupPosition> groups) {
    if (topics.containsKey(topicName)) {
      throw new IllegalStateException("topic " + topicName + " exists already");
    }
    Topic topic = new Topic(this, topicName, topicLimits);
    topics.put(topicName, topic);
    topicsByName.put(topicName, topic);
    topic.restore(nextId, resident, pagedFromId, pagedSizes, groups);
    log.info("topic={} restored: {} messages in memory, {} on disk only, {} groups, next msg={}", topicName,
        resident.size(), pagedSizes.length, groups.size(), nextId);
  }

  /**
   * Up to {@code limit} of the messages this broker holds in memory for a topic, oldest first:
   * from {@code fromId} on, or the last ones when {@code fromId} is negative. Affects no group.
   */
  public List<Message> retainedMessages(String topicName, long fromId, int limit) {
    Topic topic = topics.get(topicName);
    return topic == null ? List.of() : topic.retainedMessages(fromId, limit);
  }

  /** Where every group of the topic stands, for a checkpoint. */
  public List<GroupPosition> positions(String topicName) {
    Topic topic = topics.get(topicName);
    return topic == null ? List.of() : topic.positions();
  }

  /**
   * For each topic, the oldest message some group still needs (held, or being replayed from
   * storage): storage may delete everything below it.
   */
  public Map<String, Long> firstRetainedIds() {
    Map<String, Long> result = new LinkedHashMap<>();
    topics.forEach((name, topic) -> result.put(name, topic.firstNeededId()));
    return result;
  }

  /**
   * Adds a consumer to a group of a topic (both created if new), at the end of the group's ring,
   * and gives it what is waiting. A new group starts at the oldest retained message, or with
   * {@code fromLatest} at the next one published. {@code prefetch} is capped by
   * {@code max_in_flight_per_consumer}. Returns null when the topic does not exist and topics are
   * not created on first use.
   */
  public Subscription subscribe(String topicName, String groupName, boolean fromLatest, int prefetch,
      Consumer consumer) {
    Topic topic = topic(topicName);
    if (topic == null) {
      return null;
    }
    Group group = topic.group(groupName, fromLatest);
    Subscription subscription = group.subscribe(consumer, capCredit(prefetch));
    log.debug("{} subscribed to topic={} group={} credit={}", consumer.name(), topicName, groupName,
        subscription.credit);
    return subscription;
  }

  /** The seed's consumer: default topic and group, full credit. */
  public Subscription subscribe(Consumer consumer) {
    return subscribe(DEFAULT_TOPIC, DEFAULT_GROUP, false, policy.maxInFlightPerConsumer(), consumer);
  }

  /**
   * Removes a consumer (disconnected). Its in-flight messages go back to the front of its group's
   * queue at once, in id order, and are offered to the remaining consumers. Calling it twice is
   * harmless.
   */
  public void unsubscribe(Subscription subscription) {
    if (!subscription.active) {
      return;
    }
    subscription.active = false;
    subscription.group.unsubscribe(subscription);
    signalIfDrained();
  }

  public AckResult ack(Subscription subscription, long messageId) {
    AckResult result = subscription.group.ack(subscription, messageId);
    if (result == AckResult.ACKED) {
      signalIfDrained();
    }
    return result;
  }

  /** Sets how many unacked messages the consumer takes (0 pauses it), capped by the broker's limit. */
  public void setCredit(Subscription subscription, long credit) {
    subscription.group.setCredit(subscription, capCredit(credit));
  }

  /** Runs {@code resume} once the topic has fallen below its low watermark (at once if it has). */
  public void awaitSpace(String topicName, Runnable resume) {
    Topic topic = topics.get(topicName);
    if (topic == null) {
      resume.run();
    } else {
      topic.awaitSpace(resume);
    }
  }

  /** Forgets a paused producer that went away. */
  public void cancelAwaitSpace(String topicName, Runnable resume) {
    Topic topic = topics.get(topicName);
    if (topic != null) {
      topic.cancelAwaitSpace(resume);
    }
  }

  /**
   * Requeues, at the front of their group and in id order, every delivery whose ack deadline has
   * passed, and dispatches them again. Returns how many were requeued. While draining nothing
   * expires: the deliveries stay with their consumers, whose acks are welcome until the drain ends.
   */
  public int expire() {
    if (draining || inFlightTotal == 0) {
      return 0;
    }
    long now = clock.nanoTime();
    int requeued = 0;
    for (Topic topic : topics.values()) {
      for (Group group : topic.groups()) {
        requeued += group.expire(now);
      }
    }
    return requeued;
  }

  /**
   * Nanoseconds until the earliest ack deadline, or {@code -1} when nothing is in flight. A
   * delivery made later always has a later deadline, so a sweep timer armed for this never misses.
   */
  public long nanosUntilNextDeadline() {
    if (inFlightTotal == 0) {
      return -1;
    }
    long earliest = Long.MAX_VALUE;
    for (Topic topic : topics.values()) {
      for (Group group : topic.groups()) {
        earliest = Math.min(earliest, group.earliestDeadline());
      }
    }
    return earliest == Long.MAX_VALUE ? -1 : Math.max(0, earliest - clock.nanoTime());
  }

  /** This consumer's buffer drained: it may take messages again. */
  public void consumerWritable(Subscription subscription) {
    subscription.group.dispatch();
  }

  /** Some consumer's buffer drained: offer messages in every group. */
  public void consumerWritable() {
    for (Topic topic : topics.values()) {
      for (Group group : topic.groups()) {
        group.dispatch();
      }
    }
  }

  /**
   * Stops dispatching and refuses publishes; {@code whenDrained} runs once nothing is in flight
   * any more (at once if nothing is).
   */
  public void beginDrain(Runnable whenDrained) {
    draining = true;
    this.whenDrained = whenDrained;
    BrokerStats stats = stats();
    log.info("draining: {} in flight, {} ready", stats.inFlight(), stats.ready());
    signalIfDrained();
  }

  /** Totals over every topic and group: sums of counters, no per-topic figures built. */
  public BrokerStats stats() {
    return BrokerStats.totals(topics.values(), inFlightTotal, draining);
  }

  /**
   * One page of figures per topic and group, in name order: the topics after {@code after} (from
   * the first when null), at most {@code maxTopics}, each taken while {@code budget} says it fits.
   * Only the page's topics are computed. The first topic is taken whatever the budget says, so a
   * page always moves on; {@link TopicStatsPage#next()} names the page's last topic when more follow.
   */
  public TopicStatsPage topicStats(String after, int maxTopics, PageBudget budget) {
    long now = clock.wallMillis();
    NavigableMap<String, Topic> rest = after == null ? topicsByName : topicsByName.tailMap(after, false);
    List<TopicStats> page = new ArrayList<>();
    for (Topic topic : rest.values()) {
      if (page.size() >= maxTopics) {
        break;
      }
      TopicStats stats = topic.stats(now);
      if (!budget.fits(stats) && !page.isEmpty()) {
        break;
      }
      page.add(stats);
    }
    String last = page.isEmpty() ? null : page.get(page.size() - 1).name();
    return new TopicStatsPage(page, last != null && topicsByName.higherKey(last) != null ? last : null);
  }

  /** Figures per topic and group, every topic: for in-process callers, never for a wire reply. */
  public List<TopicStats> topicStats() {
    long now = clock.wallMillis();
    List<TopicStats> result = new ArrayList<>(topics.size());
    for (Topic topic : topics.values()) {
      result.add(topic.stats(now));
    }
    return result;
  }

  boolean isDraining() {
    return draining;
  }

  long nowNanos() {
    return clock.nanoTime();
  }

  long nowMillis() {
    return clock.wallMillis();
  }

  DeliveryPolicy policy() {
    return policy;
  }

  StateJournal journal() {
    return journal;
  }

  MessagePager pager() {
    return pager;
  }

  long memoryBudgetBytes() {
    return memoryBudgetBytes;
  }

  private static long sizeOf(Publication publication) {
    return Message.sizeBytes(publication.payload(), publication.key(), publication.headers());
  }

  void inFlightChanged(int delta) {
    inFlightTotal += delta;
  }

  private Topic topic(String name) {
    Topic topic = topics.get(name);
    if (topic == null && autoCreateTopics) {
      createTopic(name);
      topic = topics.get(name);
    }
    return topic;
  }

  private int capCredit(long requested) {
    return (int) Math.max(0, Math.min(requested, policy.maxInFlightPerConsumer()));
  }

  private void signalIfDrained() {
    if (draining && whenDrained != null && inFlightTotal == 0) {
      Runnable callback = whenDrained;
      whenDrained = null;
      callback.run();
    }
  }
}
