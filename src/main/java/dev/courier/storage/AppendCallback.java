package dev.courier.storage;

/** How a caller learns the outcome of an append; called on the caller's executor. */
public interface AppendCallback {
  void stored(long id, long timestampMillis);

  void failed(String reason);
}
