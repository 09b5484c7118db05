package dev.courier.core;

/**
 * Where messages kept on disk only come back from: durable storage reads them off the loop and
 * hands them to {@link Broker#loaded}. The core asks for one chunk per topic (or per replaying
 * group) at a time.
 */
public interface MessagePager {
  /**
   * Reads up to {@code maxMessages} (about {@code maxBytes}) stored messages of the topic from
   * {@code fromId}, for the topic's shared window, or (with a {@code group}) for that group's
   * replay of messages older than the window.
   */
  void load(String topic, String group, long fromId, int maxMessages, long maxBytes);
}
