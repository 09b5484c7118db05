package dev.courier.core;

/** What became of an ack. Client mistakes are results, not exceptions. */
public enum AckResult {
  ACKED,
  /** Not in flight: never delivered, already acked, or requeued after its ack timeout. */
  UNKNOWN_MESSAGE,
  /** In flight, but to another consumer. */
  NOT_OWNER
}
