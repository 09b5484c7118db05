package dev.courier.security;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-user and per-address quotas ({@code max_connections_per_user},
 * {@code max_connections_per_address}, {@code max_topics_per_user}), on top of the broker-wide
 * {@code max_connections} and {@code max_topics}: one user or one host cannot take every
 * connection or topic of the broker. The anonymous client counts as one user. Topic counts are of
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

  /** Counts a registered connection of {@code user} if it has room; false (nothing counted) if not. */
  public boolean openForUser(String user) {
    return take(connectionsByUser, user, maxConnectionsPerUser);
  }

  public void closedForUser(String user) {
    release(connectionsByUser, user);
  }

  /** Whether {@code user} may create one topic more. */
  public boolean mayCreateTopic(String user) {
    return topicsByUser.getOrDefault(user, 0) < maxTopicsPerUser;
  }

  public void createdTopic(String user) {
    topicsByUser.merge(user, 1, Integer::sum);
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
