package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The security rules are plain Java, like the core: unit-tested without Vert.x, usable by every adapter. */
class PlainJavaTest {

  @Test
  void noSecuritySourceImportsVertx() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/courier/security"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(sources.size() >= 8, "found the sources: " + sources);
    for (Path source : sources) {
      assertTrue(Files.readAllLines(source).stream().noneMatch(line -> line.startsWith("import io.vertx")),
          source + " imports Vert.x");
    }
  }
}
