package dev.courier.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.arch.fixture.ForbiddenCore;
import dev.courier.core.Broker;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The core is plain single-threaded Java (STYLE.md section 2): no Vert.x or Netty, and no file or
 * socket I/O, so it stays unit-testable with a fake clock and can later run as a Raft state machine.
 */
class CoreDependenciesTest {
  /** What dev.courier.core must not use; java.io's streams and IOException stay allowed. */
  static final List<String> FORBIDDEN = List.of(
      "io.vertx.", "io.netty.", "java.net.", "java.nio.file.", "java.nio.channels.",
      "java.io.File", "java.io.RandomAccessFile");

  @Test
  void noClassInTheCoreRefersToVertxNettyOrFileAndSocketIo() throws Exception {
    Path core = classesDir(Broker.class);
    assertTrue(Files.isDirectory(core), "compiled core classes not found at " + core);
    assertTrue(Files.exists(core.resolve("Broker.class")), "scanning the wrong directory: " + core);
    assertEquals(List.of(), ClassReferences.violations(core, FORBIDDEN));
  }

  @Test
  void theScanFindsFileAndSocketTypesInADeliberatelyBadClass() throws Exception {
    Path fixture = classesDir(ForbiddenCore.class);
    List<String> found = ClassReferences.violations(fixture, FORBIDDEN);
    assertTrue(found.contains("ForbiddenCore.class -> java.nio.file.Files"), found.toString());
    assertTrue(found.contains("ForbiddenCore.class -> java.nio.file.Path"), found.toString());
    assertTrue(found.contains("ForbiddenCore.class -> java.net.Socket"), found.toString());
  }

  @Test
  void aStringThatOnlyNamesAForbiddenTypeIsNotAReference() throws Exception {
    Set<String> types = ClassReferences.of(classesDir(ForbiddenCore.class).resolve("ForbiddenCore.class"));
    assertFalse(types.contains("io.vertx.core.Vertx"), types.toString());
    assertTrue(types.contains("java.lang.String"), types.toString());
  }

  /** The directory holding the compiled classes of {@code type}'s package. */
  private static Path classesDir(Class<?> type) throws URISyntaxException {
    Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    return root.resolve(type.getPackageName().replace('.', '/'));
  }
}
