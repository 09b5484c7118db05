package dev.courier.core;

import java.util.List;

/**
 * What storage tells the core: the broker's inputs from its {@link Storage}, called on the owner
 * thread. {@link Broker} implements it and hands itself to {@link Storage.Factory#open}.
 */
public interface StorageOutcomes {
  /** The request's message is stored under {@code id} (the topic's next id) at {@code timestampMillis}. */
  void stored(StoreRequest request, long id, long timestampMillis);

  /** The request's message was not kept; {@code reason} is for the producer. */
  void storeFailed(StoreRequest request, String reason);

  /** Answers {@link Storage#load}: what storage read from {@code requestedId} (maybe nothing). */
  void loaded(String topic, String group, long requestedId, List<Message> messages);

  /** Storage can read the topic from {@code firstStoredId} on (retention deleted what was below). */
  void storedFrom(String topic, long firstStoredId);
}
