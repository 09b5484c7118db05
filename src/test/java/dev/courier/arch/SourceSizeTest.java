package dev.courier.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No source file of the broker grows past {@value #MAX_LINES} lines: a file that long holds more
 * than one concern, and the next rule added to it would be hard to find (issue 11).
 */
class SourceSizeTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final int MAX_LINES = 400;

  @Test
  void noSourceFileIsLongerThanFourHundredLines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        long lines = lines(file);
        if (lines > MAX_LINES) {
          tooLong.add(file + " has " + lines + " lines");
        }
      }
    }
    assertEquals(List.of(), tooLong);
  }

  @Test
  void theScanFindsTheSources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      assertTrue(files.filter(f -> f.toString().endsWith(".java")).count() > 100, "no sources under " + SOURCES);
    }
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
