package dev.courier.core;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's rules as a single-threaded state machine: topics, each with its groups; inside a
 * group, a ready queue, the messages in flight with their ack deadlines, and a ring of consumers
 * served round-robin within their credit.
 *
 * <p>Inputs are the adapters' calls (publish, subscribe, ack, nack, credit, unsubscribe,
 * {@link #expire()}), storage's outcomes ({@link StorageOutcomes}) and the injected {@link Clock};
 * outputs are calls to {@link Consumer#deliver}, to each {@link PublishListener}, and to the
 * {@link Storage} port. Every method must be called from the one thread that owns the broker;
 * nothing here locks.
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
  private final Publishing publishing;
  /** What topics and groups share: clock, policy, storage, and the deadline heap of every delivery. */
  private final CoreContext context;
  private final TopicIndex topics = new TopicIndex();
  /** Restarts and checkpoints: rebuilding topics, storage's read-backs, what a checkpoint writes. */
  private final Recovery recovery;
  /** Shutdown: when draining began, and who hears once nothing is in flight. */
  private final Drain drain;

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
    Storage storage = storageFactory == null ? new MemoryStorage(this, clock) : storageFactory.open(this);
    this.context = new CoreContext(clock, policy, storage,
        storage.keepsLog() ? rules.topicMemoryBytes() : Long.MAX_VALUE);
    context.dedupWindowMillis = rules.dedupWindowMillis();
    this.publishing = new Publishing(this, topics, context, autoCreateTopics);
    context.publishing = publishing;
    this.recovery = new Recovery(topics, context, topicLimits);
    this.drain = new Drain(topics, context);
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
    recovery.loaded(topicName, group, requestedId, messages);
  }

  /** Storage can read this topic from {@code firstStoredId} on: a new earliest group replays from there. */
  @Override
  public void storedFrom(String topicName, long firstStoredId) {
    recovery.storedFrom(topicName, firstStoredId);
  }

  /** Declares a topic up front (when topics are not created on first use): counted in max_topics, never refused. */
  public void createTopic(String name) {
    if (!topics.contains(name)) {
      topics.add(new Topic(context, name, topicLimits));
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
    return !context.draining;
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
    recovery.history(topicName, fromId, limit, maxBytes, reply);
  }

  /** The id the next committed message of this topic must have (for storage that assigns ids). */
  public long nextId(String topicName) {
    return recovery.nextId(topicName);
  }

  /** Rebuilds a topic after a restart from what storage recovered, before any traffic. */
  public void restore(RestoredTopic restored) {
    recovery.restore(restored);
  }

  /** Up to {@code limit} held messages of a topic from {@code fromId} (negative: the last); no group moves. */
  public List<Message> retainedMessages(String topicName, long fromId, int limit) {
    return recovery.retainedMessages(topicName, fromId, limit);
  }

  /** The topics whose group positions changed since the last call: the ones a checkpoint must write. */
  public List<String> takeTopicsToCheckpoint() {
    return context.takeTopicsToCheckpoint();
  }

  /** Where every group of the topic stands, for a checkpoint. */
  public List<GroupPosition> positions(String topicName) {
    return recovery.positions(topicName);
  }

  /**
   * Messages of the topic the group dropped because their ttl_ms passed and it has no dead-letter
   * topic; -1 if there is no such group. {@link GroupStats#expired()} counts these and the expiries dead-lettered.
   */
  long expiredDropped(String topicName, String groupName) {
    Group group = topics.existingGroup(topicName, groupName);
    return group == null ? -1 : group.expiredDropped();
  }

  /** The topic's dedup window (stored keys not expired), for a checkpoint: retention may delete their records. */
  public List<DedupKey> dedupKeys(String topicName) {
    return recovery.dedupKeys(topicName);
  }

  /** For each topic, the oldest message some group still needs: storage may delete what is below. */
  public Map<String, Long> firstRetainedIds() {
    return topics.firstNeededIds();
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
    return subscribe(topicName, groupName, fromLatest, prefetch, GroupSettings.DEFAULT, consumer);
  }

  /** As above; a new group is created with {@code settings}, an existing one must admit them. */
  public Subscription subscribe(String topicName, String groupName, boolean fromLatest, int prefetch,
      GroupSettings settings, Consumer consumer) {
    if (checkSubscribe(topicName, groupName) != SubscribeCheck.ALLOWED
        || !admitsGroupSettings(topicName, groupName, settings)) {
      return null;
    }
    createTopic(topicName);
    Topic topic = topics.get(topicName);
    Group group = topic.group(groupName, fromLatest, settings);
    Subscription subscription = group.subscribe(consumer, capCredit(prefetch));
    log.debug("{} subscribed to topic={} group={} credit={}", consumer.name(), topicName, groupName,
        subscription.credit);
    return subscription;
  }

  /** Whether {@link #subscribe} would take a consumer here: both exist, or fit the quotas (existing: never refused). */
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

  /** An operator's change to one group (the HTTP API's purge, pause, resume); see {@link GroupOperations}. */
  public GroupChange changeGroup(String topicName, String groupName, GroupChange.Action action) {
    return GroupOperations.change(topics, topicName, groupName, action);
  }

  /**
   * Deletes a group an operator names, refused while it has consumers: journaled, so a restart
   * does not bring it back; messages only it still needed are freed. See {@link GroupOperations#delete}.
   */
  public GroupChange deleteGroup(String topicName, String groupName) {
    return GroupOperations.delete(topics, topicName, groupName);
  }

  /** Every paused group, as {@code topic/group} (names hold no slash). */
  public java.util.Set<String> pausedGroups() {
    return GroupOperations.paused(topics);
  }

  /** False when the group exists with another max_deliveries, dead-letter topic or ordering than {@code settings} names. */
  public boolean admitsGroupSettings(String topicName, String groupName, GroupSettings settings) {
    Group existing = topics.existingGroup(topicName, groupName);
    return existing == null || existing.settings.admits(settings) && existing.settings.admitsOrdering(settings);
  }

  /** The ordering of an existing group, or null when there is no such group. */
  public Ordering orderingOf(String topicName, String groupName) {
    Group existing = topics.existingGroup(topicName, groupName);
    return existing == null ? null : existing.settings.effectiveOrdering();
  }

  /** Whether the topic got dead letters (its {@link Redrive#GROUP} group holds them): only such a topic is redriven. */
  boolean holdsDeadLetters(String topicName) {
    return topics.existingGroup(topicName, Redrive.GROUP) != null;
  }

  /** The seed's consumer: default topic and group, full credit. */
  public Subscription subscribe(Consumer consumer) {
    return subscribe(DEFAULT_TOPIC, DEFAULT_GROUP, false, policy.maxInFlightPerConsumer(), consumer);
  }

  /** Removes a consumer (gone): its in-flight messages go back to its group's front, in id order; idempotent. */
  public void unsubscribe(Subscription subscription) {
    if (!subscription.active) {
      return;
    }
    subscription.active = false;
    subscription.group.unsubscribe(subscription);
    drain.signalIfDone();
  }

  public AckResult ack(Subscription subscription, long messageId) {
    AckResult result = subscription.group.ack(subscription, messageId);
    if (result == AckResult.ACKED) {
      drain.signalIfDone();
    }
    return result;
  }

  /** Gives a delivery back unprocessed: front of its group at once, a failed attempt; ACKED: given back. */
  public AckResult nack(Subscription subscription, long messageId) {
    return nack(subscription, messageId, 0);
  }

  /** As above, retried not before {@code delayMillis} (journaled with its due time); 0: at once. */
  public AckResult nack(Subscription subscription, long messageId, long delayMillis) {
    AckResult result = subscription.group.nack(subscription, messageId, delayMillis);
    if (result == AckResult.ACKED) {
      drain.signalIfDone();
    }
    return result;
  }

  /** The consumer still works on a delivery it holds: its ack deadline restarts from now. */
  public AckResult touch(Subscription subscription, long messageId) {
    return subscription.group.touch(subscription, messageId);
  }

  /** Moves up to {@code limit} dead letters back to their topics ({@link Redrive}); {@code reply}: how many. */
  public void redrive(String deadLetterTopic, int limit, java.util.function.LongConsumer reply) {
    new Redrive(this, reply).start(deadLetterTopic, limit);
  }

  /** Sets how many unacked messages the consumer takes (0 pauses it), capped by the broker's limit. */
  public void setCredit(Subscription subscription, long credit) {
    subscription.group.setCredit(subscription, capCredit(credit));
  }

  /**
   * Requeues every delivery past its ack deadline (front of its group, id order) and every delayed
   * retry now due, and dispatches them again; how many. While draining nothing expires: deliveries
   * stay with their consumers, whose acks are welcome until the drain ends.
   */
  public int expire() {
    return context.draining ? 0 : context.expireDue(clock.nanoTime());
  }

  /**
   * Why the delay of this publication cannot be taken (it would expire before it is due), or null:
   * adapters refuse such a publish as a bad request before they publish it.
   */
  public String delayProblem(Publication publication) {
    return TopicDelays.delayProblem(publication, clock.wallMillis());
  }

  /** {@code action} runs when a delayed retry may be due before the sweep's next run: arm it again. */
  public void onEarlierRetry(Runnable action) {
    context.earlierRetry = action;
  }

  /** Nanoseconds until the earliest ack deadline or delayed retry, -1 when none: the sweep's next run. */
  public long nanosUntilNextDeadline() {
    return context.nanosUntilNextDeadline(clock.nanoTime());
  }

  /** This consumer's buffer drained: it may take messages again. */
  public void consumerWritable(Subscription subscription) {
    context.blockedOnWrites.remove(subscription.group); // dispatching it now; it comes back if still blocked
    subscription.group.dispatch();
  }

  /** Some consumer's buffer drained: offer messages again in the groups that found one full. */
  public void consumerWritable() {
    context.dispatchBlocked();
  }

  /** Stops dispatching and refuses publishes; {@code whenDrained} runs once nothing is in flight (maybe at once). */
  public void beginDrain(Runnable whenDrained) {
    drain.begin(whenDrained);
  }

  /** Totals over every topic and group: sums of counters, no per-topic figures built. */
  public BrokerStats stats() {
    return BrokerStats.totals(topics.all(), context.inFlight.size(), context.draining);
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

  private int capCredit(long requested) {
    return (int) Math.max(0, Math.min(requested, policy.maxInFlightPerConsumer()));
  }
}
