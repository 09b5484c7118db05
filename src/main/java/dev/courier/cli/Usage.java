package dev.courier.cli;

import dev.courier.core.Names;

/**
 * Checks of command-line options made before anything connects, each failing with one sentence
 * that names the option, the value given and what is allowed; the command prints it and exits 2.
 */
final class Usage {
  private Usage() {}

  /** A mistake in the options; its message is the sentence the user sees. */
  static final class Mistake extends IllegalArgumentException {
    Mistake(String sentence) {
      super(sentence);
    }
  }

  static void require(boolean condition, String sentence) {
    if (!condition) {
      throw new Mistake(sentence);
    }
  }

  static void atLeast(String option, long value, long minimum, String meaning) {
    require(value >= minimum, option + (minimum == 0 ? " must not be negative" : " must be at least " + minimum + meaning)
        + ", was " + value);
  }

  static void within(String option, long value, long minimum, long maximum, String unit) {
    require(value >= minimum && value <= maximum, option + " must be " + minimum + " to " + maximum + unit
        + ", was " + value);
  }

  /** Null (not given) passes: the broker's default applies. */
  static void name(String option, String value) {
    require(value == null || Names.isValid(value),
        option + " \"" + value + "\" is not a valid name: names are " + Names.DESCRIPTION);
  }

  /** Prints the sentence the way every role does, with where to read more, and returns exit code 2. */
  static int report(String role, IllegalArgumentException mistake) {
    System.err.println("courier " + role + ": " + mistake.getMessage() + " (see courier " + role + " --help)");
    return 2;
  }
}
