package dev.courier.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The name rule for topics, groups and users is written once, in {@code core.Names}: a second copy
 * would drift, and a name one part accepts must be a folder recovery finds again.
 */
class NameRuleTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Path NAMES = SOURCES.resolve("dev/courier/core/Names.java");
  /** The rule's character class, as any copy of it would have to write it. */
  private static final String RULE = "A-Za-z0-9._-";

  @Test
  void theNameRuleIsWrittenOnlyInCoreNames() throws IOException {
    assertTrue(Files.readString(NAMES).contains(RULE), "core.Names no longer holds the rule: update this test");
    assertEquals(List.of(), filesWriting(RULE));
  }

  private static List<Path> filesWriting(String text) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        if (!file.equals(NAMES) && Files.readString(file).contains(text)) {
          found.add(file);
        }
      }
    }
    return found;
  }
}
