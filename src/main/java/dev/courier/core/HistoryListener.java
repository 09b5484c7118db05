package dev.courier.core;

import java.util.List;

/** Receives the messages of one history read, on the broker's owner thread. */
@FunctionalInterface
public interface HistoryListener {
  void read(List<Message> messages);
}
