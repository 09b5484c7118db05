package dev.courier.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
public final class Broker implements StorageOutcomes {
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
  private final Storage storage;
  private final Publishing publishing;
  private final TopicIndex topics = new TopicIndex();
  private boolean draining;
  private Runnable whenDrained;
  /** Per topic; beyond it new messages stay on disk only. Unbounded with storage that keeps no log. */
  private final long memoryBudgetBytes;
  private int inFlightTotal;
  /**
   * The groups with deliveries in flight: the sweep and its deadline look at these only, so idle
   * groups (most of them, with many) cost nothing per sweep.
   */
  private final LinkedHashSet<Group> groupsInFlight = new LinkedHashSet<>();
  /**
   * Groups that stopped dispatching because a consumer with credit could not take more (its
   * socket was full): {@link #consumerWritable()} offers messages in these only.
   */
  private final LinkedHashSet<Group> groupsBlockedOnWrites = new LinkedHashSet<>();
  /**
   * Topics some group of which moved since the last {@link #takeTopicsToCheckpoint()}: a
   * checkpoint rewrites (and forces) only these, not every idle topic every interval.
   */
  private final LinkedHashSet<Topic> changedSinceCheckpoint = new LinkedHashSet<>();

  /** Unbounded topics created on first use, in memory: the seed's behaviour. */
  public Broker(DeliveryPolicy policy, Clock clock) {
    this(policy, TopicLimits.UNBOUNDED, true, clock);
  }

  /** Memory storage. */
  public Broker(DeliveryPolicy policy, TopicLimits topicLimits, boolean autoCreateTopics, Clock clock) {
    this(new BrokerRules(policy, topicLimits, autoCreateTopics, Long.MAX_VALUE), clock, null);
  }

  /**
   * A broker on the storage {@code storageFactory} opens, handed this broker as its
   * {@link StorageOutcomes} (it must not call them before it returns); null means memory storage.
   */
  public Broker(BrokerRules rules, Clock clock, Storage.Factory storageFactory) {
    this.policy = rules.delivery();
    this.topicLimits = rules.topicLimits();
    this.autoCreateTopics = rules.autoCreateTopics();
    this.clock = clock;
    this.storage = storageFactory == null ? new MemoryStorage(this, clock) : storageFactory.open(this);
    this.memoryBudgetBytes = storage.keepsLog() ? rules.topicMemoryBytes() : Long.MAX_VALUE;
    this.publishing = new Publishing(this, storage);
  }

  /** Caps the topics and groups clients may create (see {@link Quotas}). Call before any traffic. */
  public void useQuotas(Quotas quotas) {
    topics.useQuotas(quotas);
  }

  /**
   * Storage read back messages asked for by {@link Storage#load} from {@code requestedId}: for
   * the topic's window, or for a replaying group when {@code group} is not null.
   */
  @Override
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
  @Override
  public void storedFrom(String topicName, long firstStoredId) {
    Topic topic = topics.get(topicName);
    if (topic != null) {
      topic.storedFrom(firstStoredId);
    }
  }

  /**
   * Declares a topic up front (needed when topics are not created on first use). Declared topics
   * count against {@code max_topics} but are never refused.
   */
  public void createTopic(String name) {
    if (!topics.contains(name)) {
      topics.add(new Topic(this, name, topicLimits));
      log.info("topic={} created", name);
      topics.warnIfTopicsOverQuota();
    }
  }

  /** Whether a client may name this topic: it exists, or topics are created on first use. */
  public boolean knowsTopic(String name) {
    return autoCreateTopics || topics.contains(name);
  }

  /** Whether the topic exists now; a publish or subscribe naming one that does not would create it. */
  public boolean hasTopic(String name) {
    return topics.contains(name);
  }

  /** False once draining for shutdown began; publishes are then refused. */
  public boolean acceptsPublishes() {
    return !draining;
  }

  /** A handle for a producing client: every outcome of its publishes goes to {@code listener}. */
  public Publisher publisher(PublishListener listener) {
    return new Publisher(listener, publishing);
  }

  /**
   * The one publish entry for every adapter: the topic admits the publication (or refuses it, or
   * holds it while full with overflow=pause), storage keeps it, and then it goes to the groups.
   * The publisher's listener hears the outcome, in the order the publisher published.
   */
  public void publish(Publisher publisher, Publication publication) {
    publishing.publish(publisher, publication);
  }

  /**
   * The producer went away: its held publications are dropped (they were never admitted), its
   * wait for room ends, and its listener hears nothing more. Publications already in storage are
   * committed when stored all the same. Calling it twice is harmless. Returns how many held
   * publications were dropped: the last ones it published, which get no outcome.
   */
  public int closePublisher(Publisher publisher) {
    return publishing.close(publisher);
  }

  @Override
  public void stored(StoreRequest request, long id, long timestampMillis) {
    publishing.stored(request, id, timestampMillis);
  }

  @Override
  public void storeFailed(StoreRequest request, String reason) {
    publishing.storeFailed(request, reason);
  }

  /**
   * Up to {@code limit} messages of a topic from {@code fromId} on (the last ones when negative),
   * about {@code maxBytes} at most but the first whatever its size: from the log with durable
   * storage (acked ones that retention kept included), else what the topic holds. Affects no group.
   */
  public void history(String topicName, long fromId, int limit, long maxBytes, HistoryListener reply) {
    if (limit <= 0) {
      reply.read(List.of()); // a log reads at least one record: do not ask it for none
      return;
    }
    storage.history(topicName, fromId, limit, maxBytes, reply);
  }

  /**
   * First half of a publish: decides whether the topic takes the message and reserves its room.
   * An accepted publication is then {@linkplain #commit committed} once storage has it, or
   * {@linkplain #abandon abandoned} if storage failed.
   */
  PublishOutcome admit(Publication publication) {
    if (draining) {
      return PublishOutcome.SHUTTING_DOWN;
    }
    Topic topic = topics.get(publication.topic());
    if (topic == null) {
      if (!autoCreateTopics) {
        return PublishOutcome.UNKNOWN_TOPIC;
      }
      if (!topics.hasRoomForTopic()) {
        return PublishOutcome.REJECTED_TOO_MANY_TOPICS;
      }
      createTopic(publication.topic());
      topic = topics.get(publication.topic());
    }
    long size = sizeOf(publication);
    if (size > topic.limits().maxBytes()) {
      return PublishOutcome.REJECTED_LARGER_THAN_TOPIC; // it would never fit: holding it would wedge its producer
    }
    boolean pause = topic.limits().overflow() == TopicLimits.Overflow.PAUSE;
    // Admitted publishes still on their way to disk count: the limits hold in every storage mode.
    if (!topic.hasRoomFor(size)) {
      return pause ? PublishOutcome.HELD_TOPIC_FULL : PublishOutcome.REJECTED_TOPIC_FULL;
    }
    topic.admitted(size);
    // Only overflow=pause holds the producer back; with reject, its next publish is refused instead.
    return pause && topic.isFull() ? PublishOutcome.ACCEPTED_TOPIC_FULL : PublishOutcome.ACCEPTED;
  }

  /**
   * Second half: the message is stored under {@code id} (the topic's next id; storage assigns ids
   * in commit order) and now goes to the groups.
   */
  Message commit(Publication publication, long id, long timestampMillis) {
    Message message = topics.get(publication.topic()).commit(publication, id, timestampMillis);
    if (log.isDebugEnabled()) {
      log.debug("published topic={} msg={} ({} bytes)", message.topic(), id, message.sizeBytes());
    }
    return message;
  }

  /** Storage could not keep an admitted message: release its room. */
  void abandon(Publication publication) {
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
   * then the sizes of those left on disk from {@code pagedFromId} on (read back from storage
   * when needed), the id its log continues with, and where each group stood.
   */
  public void restore(String topicName, long nextId, List<Message> resident, long pagedFromId, long[] pagedSizes,
      List<GroupPosition> groups) {
    if (topics.contains(topicName)) {
      throw new IllegalStateException("topic " + topicName + " exists already");
    }
    Topic topic = new Topic(this, topicName, topicLimits);
    topics.add(topic);
    topic.restore(nextId, resident, pagedFromId, pagedSizes, groups);
    log.info("topic={} restored: {} messages in memory, {} on disk only, {} groups, next msg={}", topicName,
        resident.size(), pagedSizes.length, groups.size(), nextId);
    // What is on disk is kept whatever the quotas say: refusing it would lose confirmed messages.
    topics.warnIfTopicsOverQuota();
    topics.warnIfGroupsOverQuota(topicName, groups.size());
  }

  /**
   * Up to {@code limit} of the messages this broker holds in memory for a topic, oldest first:
   * from {@code fromId} on, or the last ones when {@code fromId} is negative. Affects no group.
   */
  public List<Message> retainedMessages(String topicName, long fromId, int limit) {
    Topic topic = topics.get(topicName);
    return topic == null ? List.of() : topic.retainedMessages(fromId, limit);
  }

  /**
   * The topics whose group positions changed since the last call (deliveries, acks, requeues, new
   * groups, a restart): the ones a checkpoint must write. The rest are as their last checkpoint
   * and the events after it say.
   */
  public List<String> takeTopicsToCheckpoint() {
    List<String> names = new ArrayList<>(changedSinceCheckpoint.size());
    for (Topic topic : changedSinceCheckpoint) {
      names.add(topic.name);
      topic.checkpointed();
    }
    changedSinceCheckpoint.clear();
    return names;
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
    for (Topic topic : topics.all()) {
      result.put(topic.name, topic.firstNeededId());
    }
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
    if (checkSubscribe(topicName, groupName) != SubscribeCheck.ALLOWED) {
      return null;
    }
    createTopic(topicName);
    Topic topic = topics.get(topicName);
    Group group = topic.group(groupName, fromLatest);
    Subscription subscription = group.subscribe(consumer, capCredit(prefetch));
    log.debug("{} subscribed to topic={} group={} credit={}", consumer.name(), topicName, groupName,
        subscription.credit);
    return subscription;
  }

  /**
   * Whether {@link #subscribe} would take a consumer for this topic and group: both exist, or may
   * be created within the quotas. Existing topics and groups are never refused.
   */
  public SubscribeCheck checkSubscribe(String topicName, String groupName) {
    Topic topic = topics.get(topicName);
    if (topic == null) {
      if (!autoCreateTopics) {
        return SubscribeCheck.UNKNOWN_TOPIC;
      }
      return topics.hasRoomForTopic() ? SubscribeCheck.ALLOWED : SubscribeCheck.TOO_MANY_TOPICS;
    }
    return topics.hasRoomForGroup(topic, groupName) ? SubscribeCheck.ALLOWED : SubscribeCheck.TOO_MANY_GROUPS;
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

  /**
   * Runs {@code resume} once the topic, counting publishes not yet committed, is below its low
   * watermark with room for {@code heldBytes} more (at once if it is). Paused producers are
   * resumed in the order they paused.
   */
  void awaitSpace(String topicName, long heldBytes, Runnable resume) {
    Topic topic = topics.get(topicName);
    if (topic == null) {
      resume.run();
    } else {
      topic.awaitSpace(resume, heldBytes);
    }
  }

  void cancelAwaitSpace(String topicName, Runnable resume) {
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
    // A copy: expiring empties a group's in-flight map, and dispatching again may refill it.
    for (Group group : new ArrayList<>(groupsInFlight)) {
      requeued += group.expire(now);
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
    long now = clock.nanoTime();
    long soonest = Long.MAX_VALUE;
    for (Group group : groupsInFlight) {
      // Relative to now: deadlines may wrap past Long.MAX_VALUE, as System.nanoTime() may.
      soonest = Math.min(soonest, group.earliestDeadline() - now);
    }
    return soonest == Long.MAX_VALUE ? -1 : Math.max(0, soonest);
  }

  /** This consumer's buffer drained: it may take messages again. */
  public void consumerWritable(Subscription subscription) {
    groupsBlockedOnWrites.remove(subscription.group); // dispatching it now; it comes back if still blocked
    subscription.group.dispatch();
  }

  /** Some consumer's buffer drained: offer messages again in the groups that found one full. */
  public void consumerWritable() {
    List<Group> blocked = new ArrayList<>(groupsBlockedOnWrites);
    groupsBlockedOnWrites.clear();
    for (Group group : blocked) {
      group.dispatch();
    }
  }

  /**
   * Stops dispatching and refuses publishes; {@code whenDrained} runs once nothing is in flight
   * any more (at once if nothing is).
   */
  public void beginDrain(Runnable whenDrained) {
    draining = true;
    this.whenDrained = whenDrained;
    // Paused producers hold publishes no one will admit now: resume them to have them refused.
    for (Topic topic : topics.all()) {
      topic.wakeAll();
    }
    BrokerStats stats = stats();
    log.info("draining: {} in flight, {} ready", stats.inFlight(), stats.ready());
    signalIfDrained();
  }

  /** Totals over every topic and group: sums of counters, no per-topic figures built. */
  public BrokerStats stats() {
    return BrokerStats.totals(topics.all(), inFlightTotal, draining);
  }

  /**
   * One page of figures per topic and group, in name order: the topics after {@code after} (from
   * the first when null), at most {@code maxTopics}, each taken while {@code budget} says it fits.
   * Only the page's topics are computed. The first topic is taken whatever the budget says, so a
   * page always moves on; {@link TopicStatsPage#next()} names the page's last topic when more follow.
   */
  public TopicStatsPage topicStats(String after, int maxTopics, PageBudget budget) {
    return topics.page(after, maxTopics, budget, clock.wallMillis());
  }

  /** Figures per topic and group, every topic: for in-process callers, never for a wire reply. */
  public List<TopicStats> topicStats() {
    return topics.stats(clock.wallMillis());
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

  Storage storage() {
    return storage;
  }

  long memoryBudgetBytes() {
    return memoryBudgetBytes;
  }

  static long sizeOf(Publication publication) {
    return Message.sizeBytes(publication.payload(), publication.key(), publication.headers());
  }

  void topicChanged(Topic topic) {
    changedSinceCheckpoint.add(topic);
  }

  /** A group stopped dispatching at a consumer that has credit but no room to write. */
  void blockedOnWrites(Group group) {
    groupsBlockedOnWrites.add(group);
  }

  /** A group's count of deliveries in flight changed by {@code delta}. */
  void inFlightChanged(Group group, int delta) {
    inFlightTotal += delta;
    if (group.hasInFlight()) {
      groupsInFlight.add(group);
    } else {
      groupsInFlight.remove(group);
    }
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
