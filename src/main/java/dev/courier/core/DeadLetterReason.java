package dev.courier.core;

/** Why a message's last delivery failed: the {@code x-reason} header of its dead letter. */
enum DeadLetterReason {
  /** The ack deadline passed, or the consumer went away holding it. */
  TIMEOUT("timeout"),
  NACK("nack"),
  EXPIRED("expired");

  final String header;

  DeadLetterReason(String header) {
    this.header = header;
  }
}
