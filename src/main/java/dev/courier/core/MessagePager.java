package dev.courier.core;

/**
 * Where messages kept on disk only come back from: durable storage reads them off the loop and
 * hands them to {@link Broker#loaded}. The core asks for one chunk per topic at a time.
 */
public interface MessagePager {
  /** Reads up to {@code maxMessages} (about {@code maxBytes}) stored messages of the topic from {@code fromId}. */
  void load(String topic, long fromId, int maxMessages, long maxBytes);
}
