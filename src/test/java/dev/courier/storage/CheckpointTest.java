package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.GroupPosition;
import dev.courier.core.GroupPosition.PendingDelivery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir
  Path dir;

  @Test
  void aMissingCheckpointIsEmpty() throws IOException {
    assertEquals(Checkpoint.empty(), Checkpoint.read(dir));
  }

  @Test
  void writeThenReadGivesTheSamePositions() throws IOException {
    Checkpoint checkpoint = new Checkpoint(42, List.of(
        new GroupPosition("billing", 17, List.of(new PendingDelivery(3, 2), new PendingDelivery(9, 1)), Set.of(20L, 22L)),
        new GroupPosition("shipping", 1, List.of(), Set.of())));
    checkpoint.write(dir);
    assertEquals(checkpoint, Checkpoint.read(dir));
    assertTrue(Files.notExists(dir.resolve("checkpoint.tmp")), "the temporary file is renamed away");
  }

  @Test
  void aDamagedCheckpointIsAnErrorNotSilence() throws IOException {
    new Checkpoint(1, List.of(new GroupPosition("g", 5, List.of(), Set.of()))).write(dir);
    Path file = dir.resolve("checkpoint");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x5a;
    Files.write(file, bytes);
    IOException error = assertThrows(IOException.class, () -> Checkpoint.read(dir));
    assertTrue(error.getMessage().contains("CRC"), error.getMessage());
  }
}
