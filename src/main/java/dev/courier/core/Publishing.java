package dev.courier.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route of a publish through the core: admission by its topic, the trip to storage, the hold
 * while a topic is full (overflow=pause), and each outcome told to its publisher in publish order.
 * Part of {@link Broker}, split off to keep the broker's own file about its entry points.
 */
final class Publishing {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  /** For declaring a topic a publish creates, with the broker's log line and quota warning. */
  private final Broker broker;
  private final TopicIndex topics;
  private final CoreContext context;
  private final Storage storage;
  private final boolean autoCreateTopics;

  Publishing(Broker broker, TopicIndex topics, CoreContext context, boolean autoCreateTopics) {
    this.broker = broker;
    this.topics = topics;
    this.context = context;
    this.storage = context.storage;
    this.autoCreateTopics = autoCreateTopics;
  }

  Publisher publisher(PublishListener listener) {
    return new Publisher(listener, this);
  }

  void publish(Publisher publisher, Publication publication) {
    if (publisher.closed) {
      throw new IllegalStateException("publish on a closed publisher");
    }
    if (!publisher.held.isEmpty()) {
      publisher.held.addLast(publication); // behind the held one, so that outcomes keep publish order
      return;
    }
    admitAndStore(publisher, publication);
  }

  private void admitAndStore(Publisher publisher, Publication publication) {
    if (publication.dedupId() != null && answeredAsDuplicate(publisher, publication)) {
      return;
    }
    PublishOutcome outcome = admit(publication);
    switch (outcome) {
      case ACCEPTED -> store(publisher, publication);
      case ACCEPTED_TOPIC_FULL -> {
        store(publisher, publication);
        // Only overflow=pause holds the producer back; with reject, its next publish is refused instead.
        waitForSpace(publisher, publication.topic(), 0);
      }
      case HELD_TOPIC_FULL -> {
        publisher.held.addFirst(publication);
        waitForSpace(publisher, publication.topic(), sizeOf(publication));
      }
      case REJECTED_TOPIC_FULL -> refuse(publisher, publication, PublishRefusal.TOPIC_FULL);
      case REJECTED_LARGER_THAN_TOPIC -> refuse(publisher, publication, PublishRefusal.LARGER_THAN_TOPIC);
      case UNKNOWN_TOPIC -> refuse(publisher, publication, PublishRefusal.UNKNOWN_TOPIC);
      case REJECTED_TOO_MANY_TOPICS -> refuse(publisher, publication, PublishRefusal.TOO_MANY_TOPICS);
      case SHUTTING_DOWN -> refuse(publisher, publication, PublishRefusal.SHUTTING_DOWN);
    }
  }

  private void store(Publisher publisher, Publication publication) {
    StoreRequest request = new StoreRequest(publication, publisher,
        TopicDelays.dueMillis(publication, context.clock.wallMillis()));
    publisher.unanswered.addLast(request);
    if (publication.dedupId() != null) {
      topics.get(publication.topic()).dedup.pending(publication.dedupId(), request, context.clock.wallMillis(),
          context.dedupWindowMillis);
    }
    storage.append(request);
  }

  /**
   * A publish whose dedup_id the topic saw within the window is not admitted (so a full topic
   * does not refuse what it holds already): it is answered with the first one's id, at once if
   * that one is stored, else with its outcome once storage answers it.
   */
  private boolean answeredAsDuplicate(Publisher publisher, Publication publication) {
    Topic topic = topics.get(publication.topic());
    DedupWindow.Key key = topic == null ? null
        : topic.dedup.find(publication.dedupId(), context.clock.wallMillis(), context.dedupWindowMillis);
    if (key == null) {
      return false;
    }
    StoreRequest duplicate = new StoreRequest(publication, publisher);
    if (key.pending == null) {
      duplicate.duplicateOfId = key.messageId;
    } else {
      if (key.pending.duplicates == null) {
        key.pending.duplicates = new java.util.ArrayList<>();
      }
      key.pending.duplicates.add(duplicate);
    }
    publisher.unanswered.addLast(duplicate);
    tellAnswered(publisher);
    return true;
  }

  /** Stored is stored: the message is committed even if its publisher has gone; only the telling is dropped. */
  void stored(StoreRequest request, long id, long timestampMillis) {
    request.stored = commit(request, id, timestampMillis);
    if (request.publication().dedupId() != null) {
      topics.get(request.publication().topic()).dedup.stored(request.publication().dedupId(), request, id,
          timestampMillis);
    }
    tellAnswered(request.publisher);
    answerDuplicates(request);
  }

  void storeFailed(StoreRequest request, String reason) {
    abandon(request.publication());
    request.refusal = PublishRefusal.STORAGE_FAILED;
    request.detail = reason;
    if (request.publication().dedupId() != null) {
      topics.get(request.publication().topic()).dedup.refused(request.publication().dedupId(), request);
    }
    tellAnswered(request.publisher);
    answerDuplicates(request);
  }

  /** The duplicates that waited for a publish get its outcome: its id, or its refusal (retrying may then store). */
  private static void answerDuplicates(StoreRequest original) {
    if (original.duplicates == null) {
      return;
    }
    for (StoreRequest duplicate : original.duplicates) {
      if (original.stored != null) {
        duplicate.duplicateOfId = original.stored.id();
      } else {
        duplicate.refusal = original.refusal;
        duplicate.detail = original.detail;
      }
      tellAnswered(duplicate.publisher);
    }
    original.duplicates = null;
  }

  /** A refusal known at once still waits behind the publisher's publishes on their way to storage. */
  private void refuse(Publisher publisher, Publication publication, PublishRefusal refusal) {
    if (publisher.unanswered.isEmpty()) {
      if (!publisher.closed) {
        publisher.listener.refused(publication, refusal, null);
      }
    } else {
      publisher.unanswered.addLast(StoreRequest.refused(publication, publisher, refusal, null));
    }
  }

  private static void tellAnswered(Publisher publisher) {
    StoreRequest head;
    while ((head = publisher.unanswered.peekFirst()) != null && head.isAnswered()) {
      publisher.unanswered.pollFirst();
      if (publisher.closed) {
        continue;
      }
      if (head.stored != null) {
        publisher.listener.stored(head.publication(), head.stored);
      } else if (head.duplicateOfId != 0) {
        publisher.listener.duplicate(head.publication(), head.duplicateOfId);
      } else {
        publisher.listener.refused(head.publication(), head.refusal, head.detail);
      }
    }
  }

  /** Pauses the publisher until the topic is below its low watermark with room for {@code heldBytes}. */
  private void waitForSpace(Publisher publisher, String topic, long heldBytes) {
    if (publisher.waitingOn != null && !publisher.waitingOn.equals(topic)) {
      cancelAwaitSpace(publisher.waitingOn, publisher.onSpace);
    }
    publisher.waitingOn = topic;
    if (!publisher.listenerPaused) {
      publisher.listenerPaused = true;
      publisher.listener.paused(topic);
    }
    awaitSpace(topic, heldBytes, publisher.onSpace); // may call back at once
  }

  /** The topic has room: admit what was held, in order, before the publisher may go on. */
  void topicHasSpace(Publisher publisher) {
    publisher.waitingOn = null;
    while (!publisher.held.isEmpty()) {
      admitAndStore(publisher, publisher.held.pollFirst());
      if (publisher.waitingOn != null) {
        return; // held again, or it filled the topic: still paused
      }
    }
    if (publisher.listenerPaused && !publisher.closed) {
      publisher.listenerPaused = false;
      publisher.listener.resumed();
    }
  }

  /**
   * A dead-letter topic holds its dead letters for redrive: its {@link Redrive#GROUP} group,
   * created with the first dead letter, keeps each until it is redriven, whoever else reads it.
   */
  void keepForRedrive(String topicName) {
    Topic topic = topics.get(topicName);
    if (topic != null && topic.existingGroup(Redrive.GROUP) == null) {
      topic.group(Redrive.GROUP, false, Redrive.SETTINGS);
    }
  }

  /** Its held publishes were never admitted, so they are dropped; those in storage still commit. */
  int close(Publisher publisher) {
    publisher.closed = true;
    int dropped = publisher.held.size();
    publisher.held.clear();
    if (publisher.waitingOn != null) {
      cancelAwaitSpace(publisher.waitingOn, publisher.onSpace);
      publisher.waitingOn = null;
    }
    return dropped;
  }

  /**
   * First half of a publish: decides whether the topic takes the message and reserves its room.
   * An accepted publication is then {@linkplain #commit committed} once storage has it, or
   * {@linkplain #abandon abandoned} if storage failed.
   */
  private PublishOutcome admit(Publication publication) {
    if (context.draining) {
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
      broker.createTopic(publication.topic());
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
  private Message commit(StoreRequest request, long id, long timestampMillis) {
    Publication publication = request.publication();
    Message message = topics.get(publication.topic()).commit(publication, id, timestampMillis,
        request.publisher.onlyGroup, request.dueMillis());
    if (log.isDebugEnabled()) {
      log.debug("published topic={} msg={} ({} bytes)", message.topic(), id, message.sizeBytes());
    }
    return message;
  }

  /** Storage could not keep an admitted message: release its room. */
  private void abandon(Publication publication) {
    topics.get(publication.topic()).abandoned(sizeOf(publication));
  }

  /**
   * Runs {@code resume} once the topic, counting publishes not yet committed, is below its low
   * watermark with room for {@code heldBytes} more (at once if it is). Paused producers are
   * resumed in the order they paused.
   */
  private void awaitSpace(String topicName, long heldBytes, Runnable resume) {
    Topic topic = topics.get(topicName);
    if (topic == null) {
      resume.run();
    } else {
      topic.awaitSpace(resume, heldBytes);
    }
  }

  private void cancelAwaitSpace(String topicName, Runnable resume) {
    Topic topic = topics.get(topicName);
    if (topic != null) {
      topic.cancelAwaitSpace(resume);
    }
  }

  static long sizeOf(Publication publication) {
    return Message.sizeBytes(publication.payload(), publication.key(), publication.headers());
  }
}
