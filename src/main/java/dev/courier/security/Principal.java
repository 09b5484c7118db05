package dev.courier.security;

/**
 * Who a connection acts for once registered: a user of the users file, or the anonymous client
 * (when allowed), which may do everything a seed client could. {@code name} is what quotas count
 * and what the log shows.
 */
public record Principal(String name, Permissions permissions, boolean isAnonymous) {
  public static final String ANONYMOUS_NAME = "anonymous";
  public static final Principal ANONYMOUS = new Principal(ANONYMOUS_NAME, Permissions.ALL, true);

  public static Principal of(User user) {
    return new Principal(user.name(), user.permissions(), false);
  }
}
