package dev.courier.security;

/** One entry of the users file. The hash is a bcrypt string; the password itself is never kept. */
public record User(String name, String passwordHash, Permissions permissions) {
  @Override
  public String toString() {
    return "User[" + name + ", " + permissions + "]"; // no hash in logs
  }
}
