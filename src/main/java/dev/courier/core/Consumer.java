package dev.courier.core;

/**
 * The core's view of one consuming client. The server's connection implements it over a socket;
 * core tests use a recording fake.
 */
public interface Consumer {
  /** False while the consumer's outbound buffer is full; the core then skips it in the ring. */
  boolean canAccept();

  /** Hands one message to the consumer; {@code attempt} is 1 on first delivery. */
  void deliver(Message message, int attempt);

  /** For logs, e.g. {@code conn=12}. */
  String name();
}
