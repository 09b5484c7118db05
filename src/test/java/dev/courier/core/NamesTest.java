package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one name rule: never a path trick, otherwise what names were before. */
class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "...", ".hidden", ".a.b", "", "a/b", "../x", "a\\b", "a b", "caf\u00e9", "a\u0000"})
  void aNameThatIsOrStartsWithADotOrHoldsAnythingElseIsInvalid(String name) {
    assertFalse(Names.isValid(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a.b", "a..b", "x.", "-x", "_x", "0", "default", "Orders_2024-01.eu"})
  void aNameOfLettersDigitsDotsDashesAndUnderscoresNotStartingWithADotIsValid(String name) {
    assertTrue(Names.isValid(name), name);
  }

  @Test
  void namesHoldAtMost128Characters() {
    assertTrue(Names.isValid("n".repeat(128)));
    assertFalse(Names.isValid("n".repeat(129)));
    assertFalse(Names.isValid(null));
  }

  @Test
  void theDescriptionStatesThePattern() {
    assertTrue(Names.DESCRIPTION.contains(Names.PATTERN.pattern()), Names.DESCRIPTION);
  }
}
