package dev.courier.core;

/**
 * How an adapter learns what became of its publishes: one outcome per publish, in the order it
 * published, on the broker's owner thread. An outcome may come before {@link Broker#publish}
 * returns (memory storage, a refusal).
 */
public interface PublishListener {
  /** Stored (durable storage: written, and forced if configured) and visible to the groups. */
  void stored(Message message);

  /** Stored, as {@link #stored(Message)}; an adapter that answers by the publication's fields overrides this one. */
  default void stored(Publication publication, Message message) {
    stored(message);
  }

  /**
   * Not stored because its {@link Publication#dedupId()} was published within the dedup window:
   * {@code originalId} is the first one's message id. Only a publication with a dedup id gets it.
   */
  default void duplicate(Publication publication, long originalId) {
    throw new IllegalStateException("a duplicate for a publisher that sends no dedup_id: " + publication.dedupId());
  }

  /** Not stored; {@code detail} is storage's reason for {@link PublishRefusal#STORAGE_FAILED}, else null. */
  void refused(Publication publication, PublishRefusal refusal, String detail);

  /**
   * A topic is full and its overflow is {@code pause}: publish nothing more until {@link #resumed()}
   * (a socket adapter stops reading). A publish that found the topic full is held by the core,
   * unanswered, and admitted once there is room; publishes made meanwhile wait behind it.
   */
  default void paused(String topic) {}

  /** The topic has room again; sent once after each {@link #paused}. */
  default void resumed() {}
}
