package dev.courier.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for durable storage in core tests, behind the same port: keeps every stored message
 * by id, records each load the core asks for and answers one when a test says so. Appends are
 * stored at once, or (with {@link #holdAppends()}) wait until the test stores or fails them, as
 * they wait for the disk.
 */
final class FakeStorage implements Storage {
  /** One request of {@link #load}; {@code group} is null for the topic's own window. */
  record Load(String topic, String group, long fromId, int maxMessages) {}

  private final Clock clock;
  private final boolean keepsLog;
  private final Map<Long, Message> disk = new HashMap<>();
  private final List<Load> loads = new ArrayList<>();
  private final ArrayDeque<StoreRequest> pending = new ArrayDeque<>();
  private final List<String> journal = new ArrayList<>();
  /** The due time each delayed publish was stored with, by id, as its log record keeps it. */
  private final Map<Long, Long> dueTimes = new java.util.TreeMap<>();
  private boolean holdAppends;
  private Broker broker;

  FakeStorage(Clock clock) {
    this(clock, true);
  }

  FakeStorage(Clock clock, boolean keepsLog) {
    this.clock = clock;
    this.keepsLog = keepsLog;
  }

  /** A broker on this storage, handed its outcomes as production storage is. */
  Broker broker(BrokerRules rules) {
    broker = new Broker(rules, clock, outcomes -> this);
    return broker;
  }

  void holdAppends() {
    holdAppends = true;
  }

  @Override
  public void append(StoreRequest request) {
    pending.addLast(request);
    if (!holdAppends) {
      storeNext();
    }
  }

  /** The oldest append waiting is on disk now. */
  void storeNext() {
    StoreRequest request = pending.pollFirst();
    Publication p = request.publication();
    long id = broker.nextId(p.topic());
    disk.put(id, new Message(id, p.topic(), p.payload(), p.key(), p.headers(), p.base64(), clock.wallMillis()));
    if (request.dueMillis() != 0) {
      dueTimes.put(id, request.dueMillis());
    }
    broker.stored(request, id, clock.wallMillis());
  }

  /** The oldest append waiting could not be written. */
  void failNext(String reason) {
    broker.storeFailed(pending.pollFirst(), reason);
  }

  int pendingAppends() {
    return pending.size();
  }

  @Override
  public void load(String topic, String group, long fromId, int maxMessages, long maxBytes) {
    loads.add(new Load(topic, group, fromId, maxMessages));
  }

  @Override
  public void history(String topic, long fromId, int limit, long maxBytes, HistoryListener reply) {
    List<Message> messages = new ArrayList<>();
    for (long id = fromId; messages.size() < limit && disk.containsKey(id); id++) {
      messages.add(disk.get(id));
    }
    reply.read(messages);
  }

  @Override
  public void groupCreated(String topic, String group, long startId, GroupSettings settings) {
    journal.add("created " + group + " at " + startId + (settings.isDefault() ? "" : " with " + settings));
  }

  @Override
  public void acked(String topic, String group, long messageId) {
    journal.add("acked " + group + " " + messageId);
  }

  @Override
  public void groupDeleted(String topic, String group) {
    journal.add("deleted " + group);
  }

  @Override
  public void requeued(String topic, String group, long messageId, int attempts, long notBeforeMillis) {
    journal.add("requeued " + group + " " + messageId + " after " + attempts
        + (notBeforeMillis == 0 ? "" : " until " + notBeforeMillis));
  }

  @Override
  public void delayDue(String topic, long messageId, long dueMillis) {
    journal.add("due " + messageId + " at " + dueMillis);
  }

  /** Every delayed record stored, as recovery hands them back: ids, then due times. */
  long[][] delayedRecords() {
    long[] ids = dueTimes.keySet().stream().mapToLong(Long::longValue).toArray();
    long[] due = dueTimes.values().stream().mapToLong(Long::longValue).toArray();
    return new long[][] {ids, due};
  }

  @Override
  public boolean keepsLog() {
    return keepsLog;
  }

  List<String> journal() {
    return List.copyOf(journal);
  }

  /** Publishes through the broker's production entry; the message is kept "on disk". */
  void publish(Broker broker, String topic, String payload) {
    new RecordingPublisher(broker).publish(topic, payload);
  }

  /** Answers the last load with what is on disk from its id on, as the storage thread would. */
  void answerLastLoad(Broker broker) {
    Load load = lastLoad();
    List<Message> messages = new ArrayList<>();
    for (long id = load.fromId(); id < load.fromId() + load.maxMessages() && disk.containsKey(id); id++) {
      messages.add(disk.get(id));
    }
    broker.loaded(load.topic(), load.group(), load.fromId(), messages);
  }

  List<Load> loads() {
    return loads;
  }

  Load lastLoad() {
    return loads.get(loads.size() - 1);
  }

  /** The message is gone from the disk (damaged, or deleted by retention). */
  void lose(long id) {
    disk.remove(id);
  }

  void loseEverything() {
    disk.clear();
  }
}
