package dev.courier.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file the broker cannot start without is missing or damaged. Its message is what the operator
 * reads: which file, what is wrong with it, and how to proceed (and what that costs).
 */
public final class DamagedFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  DamagedFileException(Path file, String problem, String howToProceed) {
    super(file.toAbsolutePath() + " " + problem + ". " + howToProceed);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
