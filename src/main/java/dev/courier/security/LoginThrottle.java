package dev.courier.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing per remote address: after each failed login from an address, its
 * next login attempt waits longer (doubling from {@link #FIRST_DELAY_MILLIS} up to
 * {@link #MAX_DELAY_MILLIS}), whether it comes on the same connection or a new one. Only failed
 * logins wait, so a right password is never slowed; and a success does not reset the count, or
 * a guesser with an account of their own could log in between guesses to keep the delay short.
 * An address with no failure for {@link #FORGET_AFTER_NANOS} starts afresh. At most
 * {@link #MAX_ADDRESSES} addresses are remembered (the least recently failing is forgotten first),
 * so a scan from many addresses costs bounded memory. Plain Java; used from the broker's loop only.
 */
public final class LoginThrottle {
  /** Short enough that a person who mistyped does not notice; a guesser's tenth try waits 5 s. */
  static final long FIRST_DELAY_MILLIS = 50;
  /** Long enough that one address guesses at most ~700 passwords an hour. */
  static final long MAX_DELAY_MILLIS = 5_000;
  static final long FORGET_AFTER_NANOS = 10L * 60 * 1_000_000_000;
  /** Ten thousand addresses are under a megabyte of entries. */
  static final int MAX_ADDRESSES = 10_000;

  private record Failures(int count, long lastNanos) {}

  private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  /** How long the reply to a failed login from {@code address} waits, given the failures so far. */
  public long delayMillis(String address, long nowNanos) {
    Failures f = failures.get(address);
    if (f == null) {
      return 0;
    }
    if (nowNanos - f.lastNanos() > FORGET_AFTER_NANOS) {
      failures.remove(address);
      return 0;
    }
    int doublings = Math.min(f.count() - 1, 30);
    return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << doublings);
  }

  /** A failed login from {@code address}; returns how many in a row it has had. */
  public int failed(String address, long nowNanos) {
    Failures f = failures.get(address);
    int count = f == null || nowNanos - f.lastNanos() > FORGET_AFTER_NANOS ? 1 : f.count() + 1;
    failures.put(address, new Failures(count, nowNanos));
    return count;
  }

  /** Addresses remembered now; bounded by {@link #MAX_ADDRESSES}. */
  public int size() {
    return failures.size();
  }
}
