package dev.courier.security;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-user and per-address quotas ({@code max_connections_per_user},
 * {@code max_connections_per_address}, {@code max_topics_per_user}), on top of the broker-wide
 * {@code max_connections} and {@code max_topics}: one user or one host cannot take every
 * connection or topic of the broker. Per-user quotas are for users of the users file: anonymous
 * clients are everyone who has no account, so counting them as one user would only be a second,
 * smaller {@code max_connections}; they are bounded per address and broker-wide. Topic counts are of
 * topics created since the broker started (recovered topics belong to nobody). Plain Java on the
 * broker's loop; an entry goes when its count returns to zero, so the maps hold only what is open.
 */
public final class UserQuotas {
  private final int maxConnectionsPerUser;
  private final int maxConnectionsPerAddress;
  private final int maxTopicsPerUser;
  private final Map<String, Integer> connectionsByUser = new HashMap<>();
  private final Map<String, Integer> connectionsByAddress = new HashMap<>();
  private final Map<String, Integer> topicsByUser = new HashMap<>();

  public UserQuotas(int maxConnectionsPerUser, int maxConnectionsPerAddress, int maxTopicsPerUser) {
    this.maxConnectionsPerUser = maxConnectionsPerUser;
    this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    this.maxTopicsPerUser = maxTopicsPerUser;
  }

  /** Counts a connection from {@code address} if it has room; false (nothing counted) if not. */
  public boolean openFromAddress(String address) {
    return take(connectionsByAddress, address, maxConnectionsPerAddress);
  }

  public void closedFromAddress(String address) {
    release(connectionsByAddress, address);
  }

  /** Whether {@code who} may register one connection more. */
  public boolean mayOpenFor(Principal who) {
    return who.isAnonymous() || connectionsByUser.getOrDefault(who.name(), 0) < maxConnectionsPerUser;
  }

  /** Counts a registered connection of {@code who} if it has room; false (nothing counted) if not. */
  public boolean openFor(Principal who) {
    return who.isAnonymous() || take(connectionsByUser, who.name(), maxConnectionsPerUser);
  }

  public void closedFor(Principal who) {
    if (!who.isAnonymous()) {
      release(connectionsByUser, who.name());
    }
  }

  /** Whether {@code who} may create one topic more. */
  public boolean mayCreateTopic(Principal who) {
    return who.isAnonymous() || topicsByUser.getOrDefault(who.name(), 0) < maxTopicsPerUser;
  }

  public void createdTopic(Principal who) {
    if (!who.isAnonymous()) {
      topicsByUser.merge(who.name(), 1, Integer::sum);
    }
  }

  public int maxConnectionsPerUser() {
    return maxConnectionsPerUser;
  }

  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public int maxTopicsPerUser() {
    return maxTopicsPerUser;
  }

  private static boolean take(Map<String, Integer> counts, String key, int max) {
    int now = counts.getOrDefault(key, 0);
    if (now >= max) {
      return false;
    }
    counts.put(key, now + 1);
    return true;
  }

  private static void release(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }
}
