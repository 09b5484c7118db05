package dev.courier.http;

import dev.courier.core.WarnLimiter;
import dev.courier.security.LoginThrottle;
import dev.courier.security.Principal;
import dev.courier.security.User;
import dev.courier.security.Users;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who an HTTP request acts for. Without a users file: the anonymous client where allowed. With
 * one: the user of its basic-auth credentials, checked with bcrypt on a worker (tens of ms, never
 * on a loop). A dashboard polls every few seconds, so a login that passed is remembered for
 * {@link #REMEMBER_MILLIS} by a SHA-256 of its password; a wrong password is never remembered.
 * A failed login is logged (rate-limited) and answered after the delay {@link LoginThrottle}
 * gives its address, as on the broker port. Touched only on the HTTP listener's loop.
 */
final class HttpAuth {
  private static final Logger log = LoggerFactory.getLogger(HttpAuth.class);
  /** Failed HTTP logins get at most this many WARN lines a second: a guesser must not fill the disk. */
  private static final int WARNINGS_PER_SECOND = 5;
  /** A peer's user name is logged cut to this many characters. */
  private static final int LOGGED_NAME_CHARS = 64;
  /** bcrypt checks waiting at most: more are refused at once, so a flood of requests cannot queue work without bound. */
  static final int MAX_PENDING_CHECKS = 16;
  /** Long enough that a dashboard costs one bcrypt a minute, short enough that a changed file is felt soon. */
  static final long REMEMBER_MILLIS = 60_000;
  /** Logins remembered at most: more users than any broker has, so a flood of names cannot grow it. */
  private static final int REMEMBERED_MAX = 1_000;

  /** The request's credentials were missing or wrong: 401 with a challenge. */
  static final class Unauthorized extends RuntimeException {
    Unauthorized(String message) {
      super(message, null, false, false);
    }
  }

  private record Remembered(String passwordDigest, Principal principal, long untilMillis) {}

  private final Vertx vertx;
  private final Users users;
  private final boolean anonymousAllowed;
  private final Map<String, Remembered> remembered = new HashMap<>();
  private final LoginThrottle throttle = new LoginThrottle();
  private final WarnLimiter warnings = new WarnLimiter(log, WARNINGS_PER_SECOND);
  private WorkerExecutor hashing;
  private int pendingChecks;

  /** {@code users} null: the broker has no users file. */
  HttpAuth(Vertx vertx, Users users, boolean anonymousAllowed) {
    this.vertx = vertx;
    this.users = users;
    this.anonymousAllowed = anonymousAllowed;
  }

  boolean hasUsers() {
    return users != null;
  }

  /** The principal of a request from {@code address} with this {@code Authorization} header (null when absent). */
  Future<Principal> authenticate(String authorization, String address) {
    if (authorization == null || users == null) {
      return anonymousAllowed ? Future.succeededFuture(Principal.ANONYMOUS)
          : Future.failedFuture(new Unauthorized(users == null ? "this broker serves no one (allow_anonymous is false)"
              : "this broker needs a user: send basic auth credentials"));
    }
    String[] credentials = basic(authorization);
    if (credentials == null) {
      return refuse(address, null, "the Authorization header must be Basic base64(user:password)");
    }
    String name = credentials[0];
    String digest = sha256(credentials[1]);
    long now = System.currentTimeMillis();
    Remembered known = remembered.get(name);
    if (known != null && known.untilMillis() > now && MessageDigest.isEqual(
        known.passwordDigest().getBytes(StandardCharsets.UTF_8), digest.getBytes(StandardCharsets.UTF_8))) {
      return Future.succeededFuture(known.principal());
    }
    if (pendingChecks >= MAX_PENDING_CHECKS) {
      return Future.failedFuture(new Unauthorized("too many logins are being checked; retry in a moment"));
    }
    pendingChecks++;
    return hashing().executeBlocking(() -> users.authenticate(name, credentials[1]), false)
        .andThen(ar -> pendingChecks--)
        .compose(user -> {
          if (user == null) {
            return refuse(address, name, "unknown user or wrong password");
          }
          remember(name, digest, user, now);
          return Future.succeededFuture(Principal.of(user));
        });
  }

  private Future<Principal> refuse(String address, String user, String why) {
    long now = System.nanoTime();
    int inARow = throttle.failed(address, now);
    long delayMs = throttle.delayMillis(address, now);
    warnings.warn("HTTP login failed from {} user={}: {} ({} failures in a row from this address; reply in {} ms)",
        address, user == null || user.length() <= LOGGED_NAME_CHARS ? user : user.substring(0, LOGGED_NAME_CHARS) + "...",
        why, inARow, delayMs);
    Promise<Principal> refused = Promise.promise();
    vertx.setTimer(Math.max(1, delayMs), t -> refused.fail(new Unauthorized(why)));
    return refused.future();
  }

  void close() {
    if (hashing != null) {
      hashing.close();
    }
  }

  private void remember(String name, String digest, User user, long now) {
    if (remembered.size() >= REMEMBERED_MAX) {
      remembered.values().removeIf(r -> r.untilMillis() <= now);
      if (remembered.size() >= REMEMBERED_MAX) {
        remembered.clear();
      }
    }
    remembered.put(name, new Remembered(digest, Principal.of(user), now + REMEMBER_MILLIS));
  }

  private static String[] basic(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon <= 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String sha256(String password) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private WorkerExecutor hashing() {
    if (hashing == null) {
      hashing = vertx.createSharedWorkerExecutor("courier-http-auth", 1);
    }
    return hashing;
  }
}
