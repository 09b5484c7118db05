package dev.courier.core;

/**
 * The outcome of {@link Broker#changeGroup} or {@link Broker#deleteGroup}: done, with how many
 * messages it dropped (purge), or why not. {@code HAS_CONSUMERS}: a delete while consumers are
 * registered; {@code BUSY}: a delete while a dead letter of the group is on its way to storage.
 */
public record GroupChange(Outcome outcome, long messages) {
  public enum Action { PURGE, PAUSE, RESUME }

  public enum Outcome { DONE, UNKNOWN_TOPIC, UNKNOWN_GROUP, HAS_CONSUMERS, BUSY }

  static GroupChange done(long messages) {
    return new GroupChange(Outcome.DONE, messages);
  }

  static GroupChange refused(Outcome outcome) {
    return new GroupChange(outcome, 0);
  }
}
