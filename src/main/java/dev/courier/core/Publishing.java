package dev.courier.core;

/**
 * The route of a publish through the core: admission by its topic, the trip to storage, the hold
 * while a topic is full (overflow=pause), and each outcome told to its publisher in publish order.
 * Part of {@link Broker}, split off to keep the broker's own file about its entry points.
 */
final class Publishing {
  private final Broker broker;
  private final Storage storage;

  Publishing(Broker broker, Storage storage) {
    this.broker = broker;
    this.storage = storage;
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
    PublishOutcome outcome = broker.admit(publication);
    switch (outcome) {
      case ACCEPTED -> store(publisher, publication);
      case ACCEPTED_TOPIC_FULL -> {
        store(publisher, publication);
        // Only overflow=pause holds the producer back; with reject, its next publish is refused instead.
        waitForSpace(publisher, publication.topic(), 0);
      }
      case HELD_TOPIC_FULL -> {
        publisher.held.addFirst(publication);
        waitForSpace(publisher, publication.topic(), Broker.sizeOf(publication));
      }
      case REJECTED_TOPIC_FULL -> refuse(publisher, publication, PublishRefusal.TOPIC_FULL);
      case REJECTED_LARGER_THAN_TOPIC -> refuse(publisher, publication, PublishRefusal.LARGER_THAN_TOPIC);
      case UNKNOWN_TOPIC -> refuse(publisher, publication, PublishRefusal.UNKNOWN_TOPIC);
      case REJECTED_TOO_MANY_TOPICS -> refuse(publisher, publication, PublishRefusal.TOO_MANY_TOPICS);
      case SHUTTING_DOWN -> refuse(publisher, publication, PublishRefusal.SHUTTING_DOWN);
    }
  }

  private void store(Publisher publisher, Publication publication) {
    StoreRequest request = new StoreRequest(publication, publisher);
    publisher.unanswered.addLast(request);
    storage.append(request);
  }

  /** Stored is stored: the message is committed even if its publisher has gone; only the telling is dropped. */
  void stored(StoreRequest request, long id, long timestampMillis) {
    request.stored = broker.commit(request.publication(), id, timestampMillis);
    tellAnswered(request.publisher);
  }

  void storeFailed(StoreRequest request, String reason) {
    broker.abandon(request.publication());
    request.refusal = PublishRefusal.STORAGE_FAILED;
    request.detail = reason;
    tellAnswered(request.publisher);
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
        publisher.listener.stored(head.stored);
      } else {
        publisher.listener.refused(head.publication(), head.refusal, head.detail);
      }
    }
  }

  /** Pauses the publisher until the topic is below its low watermark with room for {@code heldBytes}. */
  private void waitForSpace(Publisher publisher, String topic, long heldBytes) {
    if (publisher.waitingOn != null && !publisher.waitingOn.equals(topic)) {
      broker.cancelAwaitSpace(publisher.waitingOn, publisher.onSpace);
    }
    publisher.waitingOn = topic;
    if (!publisher.listenerPaused) {
      publisher.listenerPaused = true;
      publisher.listener.paused(topic);
    }
    broker.awaitSpace(topic, heldBytes, publisher.onSpace); // may call back at once
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

  /** Its held publishes were never admitted, so they are dropped; those in storage still commit. */
  int close(Publisher publisher) {
    publisher.closed = true;
    int dropped = publisher.held.size();
    publisher.held.clear();
    if (publisher.waitingOn != null) {
      broker.cancelAwaitSpace(publisher.waitingOn, publisher.onSpace);
      publisher.waitingOn = null;
    }
    return dropped;
  }
}
