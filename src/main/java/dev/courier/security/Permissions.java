package dev.courier.security;

/**
 * A user's topic patterns for each {@link Permission}; the broker's rule for each request that
 * names a topic, and for the ones that name none, lives here so every adapter applies the same.
 */
public record Permissions(TopicPatterns publish, TopicPatterns consume, TopicPatterns admin) {
  /** Everything: an anonymous client, where anonymous access is allowed, does what a seed client did. */
  public static final Permissions ALL = new Permissions(TopicPatterns.ALL, TopicPatterns.ALL, TopicPatterns.ALL);

  public Permissions {
    publish = publish == null ? TopicPatterns.NONE : publish;
    consume = consume == null ? TopicPatterns.NONE : consume;
    admin = admin == null ? TopicPatterns.NONE : admin;
  }

  public boolean allows(Permission permission, String topic) {
    return patterns(permission).covers(topic);
  }

  /** {@code history} reads messages, so it asks what a consumer would. */
  public boolean mayReadHistory(String topic) {
    return consume.covers(topic);
  }

  /**
   * {@code stats} shows every topic's figures and the broker's totals, so it asks for {@code admin}
   * on every topic: a user limited to some topics must not learn the names and depths of others.
   */
  public boolean mayReadStats() {
    return admin.coversEverything();
  }

  public TopicPatterns patterns(Permission permission) {
    return switch (permission) {
      case PUBLISH -> publish;
      case CONSUME -> consume;
      case ADMIN -> admin;
    };
  }
}
