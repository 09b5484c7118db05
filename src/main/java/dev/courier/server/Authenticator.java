package dev.courier.server;

import dev.courier.core.WarnLimiter;
import dev.courier.protocol.Frame;
import dev.courier.security.LoginThrottle;
import dev.courier.security.Principal;
import dev.courier.security.User;
import dev.courier.security.Users;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a register's credentials into a {@link Principal}, for every connection of one broker.
 * Lives on the broker's loop; only the bcrypt check runs elsewhere, on a small worker pool of its
 * own so that a flood of logins takes at most {@link #HASH_THREADS} cores and never the storage
 * or the loop. A failed login is logged (rate-limited) with its address, and its reply waits the
 * delay {@link LoginThrottle} gives that address, so guessing from one host slows to a crawl.
 */
final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  /** A peer's user name is logged cut to this many characters: it could be a megabyte. */
  private static final int LOGGED_NAME_CHARS = 64;
  /** Two checks at once: half of a 2-core box at worst, tens of logins a second at best. */
  private static final int HASH_THREADS = 2;

  /** A login refused; its message is for the client. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Users users;
  private final boolean anonymousAllowed;
  private final WarnLimiter warnings;
  private final LoginThrottle throttle = new LoginThrottle();
  private WorkerExecutor hashing;

  /** {@code users} null: the broker has no users file. */
  Authenticator(Vertx vertx, Users users, boolean anonymousAllowed, WarnLimiter warnings) {
    this.vertx = vertx;
    this.users = users;
    this.anonymousAllowed = anonymousAllowed;
    this.warnings = warnings;
  }

  /** Who a client without credentials is: the anonymous client, or null where that is not allowed. */
  Principal anonymous() {
    return anonymousAllowed ? Principal.ANONYMOUS : null;
  }

  /**
   * Who a client with a TLS client certificate but no password is: the user named by the
   * certificate's CN, or null when the users file has no such user; without a users file, the
   * anonymous client (null when anonymous clients are refused).
   */
  Principal certified(String commonName) {
    if (users == null) {
      // No users to name: the certificate proved the client may connect, and it is served as an
      // anonymous client would be (if those are allowed).
      return anonymous();
    }
    User user = users.find(commonName);
    return user == null ? null : Principal.of(user);
  }

  /**
   * The user whose credentials these are, completed on the caller's loop; failed with
   * {@link Refused} (after the address's delay) for anything else. Only for a register with credentials.
   */
  Future<Principal> login(Frame.Register register, String address, String connection) {
    String user = register.user();
    String password = register.password();
    if (users == null) {
      return refuse(address, connection, user, "this broker has no users; register without user and password");
    }
    if (user == null || password == null) {
      return refuse(address, connection, user, "register needs both \"user\" and \"password\"");
    }
    return hashing().executeBlocking(() -> users.authenticate(user, password), false)
        .recover(e -> {
          log.error("{} password check failed; refusing the login", connection, e);
          return Future.succeededFuture(null);
        })
        .compose(found -> found != null ? Future.succeededFuture(Principal.of(found)) : refuse(address, connection, user,
            "unknown user or wrong password"));
  }

  void close() {
    if (hashing != null) {
      hashing.close();
    }
  }

  private Future<Principal> refuse(String address, String connection, String user, String why) {
    long now = System.nanoTime();
    int inARow = throttle.failed(address, now);
    long delayMs = throttle.delayMillis(address, now);
    warnings.warn("{} login failed from {} user={}: {} ({} failures in a row from this address; next reply in {} ms)",
        connection, address, abbreviate(user), why, inARow, delayMs);
    Promise<Principal> refused = Promise.promise();
    vertx.setTimer(Math.max(1, delayMs), t -> refused.fail(new Refused(why)));
    return refused.future();
  }

  private static String abbreviate(String name) {
    return name == null || name.length() <= LOGGED_NAME_CHARS ? name : name.substring(0, LOGGED_NAME_CHARS) + "...";
  }

  private WorkerExecutor hashing() {
    if (hashing == null) {
      hashing = vertx.createSharedWorkerExecutor("courier-auth", HASH_THREADS);
    }
    return hashing;
  }
}
