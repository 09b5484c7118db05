package dev.courier.core;

/**
 * The outcome of {@link Broker#changeGroup}: done, with how many messages it dropped (purge,
 * delete), or why not.
 */
public record GroupChange(Outcome outcome, long messages) {
  public enum Action { PURGE, PAUSE, RESUME, DELETE }

  public enum Outcome { DONE, UNKNOWN_TOPIC, UNKNOWN_GROUP, HAS_CONSUMERS }

  static GroupChange done(long messages) {
    return new GroupChange(Outcome.DONE, messages);
  }

  static GroupChange refused(Outcome outcome) {
    return new GroupChange(outcome, 0);
  }
}
