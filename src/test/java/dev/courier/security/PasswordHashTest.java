package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class PasswordHashTest {
  private static final Logger log = LoggerFactory.getLogger(PasswordHashTest.class);

  @Test
  void aHashMatchesItsPasswordAndNoOther() {
    String hash = PasswordHash.hash("s3cret", 4);
    assertTrue(PasswordHash.isWellFormed(hash), hash);
    assertTrue(PasswordHash.matches(hash, "s3cret"));
    assertFalse(PasswordHash.matches(hash, "s3creT"));
    assertFalse(PasswordHash.matches(hash, ""));
  }

  @Test
  void twoHashesOfOnePasswordDifferBySalt() {
    assertNotEquals(PasswordHash.hash("same", 4), PasswordHash.hash("same", 4));
  }

  @Test
  void aMalformedHashMatchesNothing() {
    assertFalse(PasswordHash.matches("plain-text", "plain-text"));
    assertFalse(PasswordHash.isWellFormed("plain-text"));
  }

  @Test
  void passwordsBcryptWouldCutAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.hash("x".repeat(73), 4));
    assertThrows(IllegalArgumentException.class, () -> PasswordHash.hash("", 4));
    String hash = PasswordHash.hash("x".repeat(72), 4);
    assertFalse(PasswordHash.matches(hash, "x".repeat(73)));
  }

  /** Logs what one check at the default cost takes here: the figure DEFAULT_COST's comment cites. */
  @Test
  void aCheckAtTheDefaultCostIsDeliberatelySlowButMatches() {
    String hash = PasswordHash.hash("measure", PasswordHash.DEFAULT_COST);
    int checks = 5;
    long start = System.nanoTime();
    for (int i = 0; i < checks; i++) {
      assertTrue(PasswordHash.matches(hash, "measure"));
    }
    log.info("bcrypt cost {}: {} ms per check", PasswordHash.DEFAULT_COST, (System.nanoTime() - start) / checks / 1_000_000);
  }
}
