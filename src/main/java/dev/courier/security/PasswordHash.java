package dev.courier.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashes of the users file: bcrypt through BouncyCastle's {@link OpenBSDBCrypt}, in the
 * usual {@code $2y$<cost>$<salt+hash>} form that carries its own salt and cost, so a file written
 * with one cost keeps working when the default changes. bcrypt over Argon2: the library encodes
 * and parses bcrypt's standard string itself (its Argon2 has no encoded form, which we would have
 * to write by hand), and bcrypt's fixed 4 KiB needs no memory setting to get right on a small box.
 *
 * <p>Checking costs tens of milliseconds of CPU on purpose: callers run it off the event loop.
 */
public final class PasswordHash {
  /**
   * 2^10 rounds: about 80 ms per check on one core of this project's shared 2-core machine
   * (cost 11: 180 ms), slow enough for an offline guesser with a stolen file, fast enough that a
   * register is not noticeably slower and two hashing threads still take tens of logins a second.
   * Raise it on faster hardware; hashes already written keep the cost they carry.
   */
  public static final int DEFAULT_COST = 10;
  /** bcrypt reads at most 72 bytes of a password; a longer one would be silently cut, so we refuse it. */
  public static final int MAX_PASSWORD_BYTES = 72;
  /**
   * A valid hash of a password nobody has: checked against when the user is unknown, so that an
   * unknown name takes as long to refuse as a wrong password and names cannot be probed by timing.
   */
  private static final String NOBODY = hash("no user has this password: " + System.nanoTime(), DEFAULT_COST);

  private PasswordHash() {}

  public static String hash(String password, int cost) {
    checkLength(password);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
  }

  /** Whether {@code password} is the one {@code hash} was made from; false for a malformed hash. */
  public static boolean matches(String hash, String password) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      return false;
    }
    try {
      return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    } catch (IllegalArgumentException e) { // a malformed hash string
      return false;
    }
  }

  /** Spends the time of one check, for a user that does not exist. */
  public static void matchesNobody(String password) {
    matches(NOBODY, password);
  }

  /** Whether {@code hash} is a bcrypt string the check can read; a users file is refused otherwise. */
  public static boolean isWellFormed(String hash) {
    return hash != null && hash.matches("\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  }

  public static void checkLength(String password) {
    if (password.isEmpty()) {
      throw new IllegalArgumentException("the password must not be empty");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException("the password must be at most " + MAX_PASSWORD_BYTES
          + " bytes of UTF-8: bcrypt ignores anything past that");
    }
  }
}
