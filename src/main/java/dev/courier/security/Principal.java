package dev.courier.security;

/**
 * Who a connection acts for once registered: a user of the users file, or the anonymous client
 * (when allowed), which may do everything a seed client could. {@code name} is what the log shows
 * and, for a user of the file, what the per-user quotas count.
 */
public record Principal(String name, Permissions permissions, boolean isAnonymous) {
  public static final String ANONYMOUS_NAME = "anonymous";
  public static final Principal ANONYMOUS = new Principal(ANONYMOUS_NAME, Permissions.ALL, true);

  public static Principal of(User user) {
    return new Principal(user.name(), user.permissions(), false);
  }
}
