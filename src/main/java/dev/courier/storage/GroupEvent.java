package dev.courier.storage;

/** A change of a group's state, journaled in the topic's group event log. */
public sealed interface GroupEvent {
  String group();

  /** The group came into being, starting at {@code startId}. */
  record GroupCreated(String group, long startId) implements GroupEvent {}

  record Acked(String group, long id) implements GroupEvent {}

  /** The message came back (ack timeout or consumer gone) after {@code attempts} deliveries. */
  record Requeued(String group, long id, int attempts) implements GroupEvent {}
}
