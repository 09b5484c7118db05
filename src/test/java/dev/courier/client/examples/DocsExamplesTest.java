package dev.courier.client.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java in docs/CLIENT.md and README.md is quoted from example files that compile with the
 * tests (and run in {@link EmbeddedBrokerExampleTest}): each block after a
 * {@code <!-- quote: FILE#NAME -->} line must equal that file's {@code // docs:begin NAME} region.
 */
class DocsExamplesTest {
  private static final Pattern QUOTE = Pattern.compile("<!-- quote: (\\S+)#(\\S+) -->\\n```java\\n(.*?)```",
      Pattern.DOTALL);

  @Test
  void everyJavaBlockInClientDocsIsQuotedFromACompiledExample() throws IOException {
    assertTrue(checkQuotes(Path.of("docs/CLIENT.md")) >= 4, "docs/CLIENT.md quotes its examples");
  }

  @Test
  void theReadmesJavaSectionIsQuotedFromACompiledExample() throws IOException {
    assertTrue(checkQuotes(Path.of("README.md")) >= 1, "README.md quotes the quick start");
  }

  private static int checkQuotes(Path doc) throws IOException {
    String text = Files.readString(doc);
    Matcher m = QUOTE.matcher(text);
    int quotes = 0;
    while (m.find()) {
      assertEquals(region(Path.of(m.group(1)), m.group(2)), m.group(3),
          doc + " quotes " + m.group(1) + "#" + m.group(2) + " differently from the file");
      quotes++;
    }
    // No Java block may escape the check by lacking its quote line.
    assertEquals(quotes, text.split("```java", -1).length - 1, doc + " has a ```java block without a quote line");
    return quotes;
  }

  /** The lines between the markers, without the indentation they share. */
  static String region(Path file, String name) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<String> region = new ArrayList<>();
    boolean inside = false;
    for (String line : lines) {
      if (line.trim().equals("// docs:begin " + name)) {
        inside = true;
      } else if (line.trim().equals("// docs:end " + name)) {
        inside = false;
      } else if (inside) {
        region.add(line);
      }
    }
    assertTrue(!region.isEmpty(), file + " has no region " + name);
    int indent = region.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : region) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }
}
