package dev.courier.security;

/**
 * What a user may do to a topic. {@code admin} is for every change that is not a publish or a
 * consume (today: reading the broker-wide stats; later dead letters, redrive and the HTTP API).
 */
public enum Permission {
  PUBLISH("publish"),
  CONSUME("consume"),
  ADMIN("admin");

  private final String key;

  Permission(String key) {
    this.key = key;
  }

  /** The name in the users file and in error messages. */
  public String key() {
    return key;
  }
}
