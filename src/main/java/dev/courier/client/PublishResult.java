package dev.courier.client;

/**
 * The broker's confirmation of one publish: stored (durable: on disk). {@code id} is the stored
 * message's id where the broker gives one (brokers answer {@code {"type":"ok","id":N}} to publishes
 * with life-cycle fields), else null; {@code duplicate} says a dedup id matched an earlier publish,
 * whose id this is, and nothing new was stored.
 */
public record PublishResult(Long id, boolean duplicate) {
  /** The answer to a plain publish ({@code {"type":"ok"}}), shared: one less object per message. */
  static final PublishResult PLAIN = new PublishResult(null, false);
}
