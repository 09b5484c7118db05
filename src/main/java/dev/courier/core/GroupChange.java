package dev.courier.core;

/**
 * The outcome of {@link Broker#changeGroup}: done, with how many messages it dropped (purge), or
 * why not. Deleting a group is not offered yet: the events journal has no record for it, so a
 * recovery would bring the group back (issue 15 leaves it out).
 */
public record GroupChange(Outcome outcome, long messages) {
  public enum Action { PURGE, PAUSE, RESUME }

  public enum Outcome { DONE, UNKNOWN_TOPIC, UNKNOWN_GROUP }

  static GroupChange done(long messages) {
    return new GroupChange(Outcome.DONE, messages);
  }

  static GroupChange refused(Outcome outcome) {
    return new GroupChange(outcome, 0);
  }
}
