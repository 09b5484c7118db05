package dev.courier.core;

/**
 * One admitted publication on its way to storage, and its place among its publisher's outcomes.
 * Storage reads {@link #publication()} and hands the request back with the outcome; the rest is
 * the core's.
 */
public final class StoreRequest {
  private final Publication publication;
  final Publisher publisher;
  /** A delayed publish's due time (epoch ms) as the core fixed it at admission; 0: deliver at once. */
  private final long dueMillis;
  /** Set once storage answered: the committed message, or why it was refused. */
  Message stored;
  PublishRefusal refusal;
  String detail;
  /** A duplicate of a dedup key: the id of the key's first message, once known (0: not a duplicate, or not yet). */
  long duplicateOfId;
  /** Duplicates that came while this publish was on its way to storage: they get its outcome. */
  java.util.List<StoreRequest> duplicates;

  StoreRequest(Publication publication, Publisher publisher) {
    this(publication, publisher, 0);
  }

  StoreRequest(Publication publication, Publisher publisher, long dueMillis) {
    this.publication = publication;
    this.publisher = publisher;
    this.dueMillis = dueMillis;
  }

  /** Storage keeps it with the message (a delayed record), so that a restart knows it is not due yet. */
  public long dueMillis() {
    return dueMillis;
  }

  /** A refusal decided at once, waiting its turn behind its publisher's earlier publishes. */
  static StoreRequest refused(Publication publication, Publisher publisher, PublishRefusal refusal, String detail) {
    StoreRequest request = new StoreRequest(publication, publisher);
    request.refusal = refusal;
    request.detail = detail;
    return request;
  }

  public Publication publication() {
    return publication;
  }

  boolean isAnswered() {
    return stored != null || refusal != null || duplicateOfId != 0;
  }
}
