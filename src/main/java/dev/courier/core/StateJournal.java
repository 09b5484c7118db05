package dev.courier.core;

/**
 * Where the core reports the changes of group state that durable storage must remember: a group's
 * birth, each ack, each requeue with its attempt count. Called on the owner thread, in order; an
 * implementation hands the events on and returns at once (it must not block).
 */
public interface StateJournal {
  StateJournal NONE = new StateJournal() {
    @Override
    public void groupCreated(String topic, String group, long startId) {}

    @Override
    public void acked(String topic, String group, long messageId) {}

    @Override
    public void requeued(String topic, String group, long messageId, int attempts) {}
  };

  void groupCreated(String topic, String group, long startId);

  void acked(String topic, String group, long messageId);

  void requeued(String topic, String group, long messageId, int attempts);
}
