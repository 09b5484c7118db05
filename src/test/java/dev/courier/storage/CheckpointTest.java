package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.GroupPosition;
import dev.courier.core.GroupPosition.PendingDelivery;
import dev.courier.core.GroupSettings;
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
  void delayedRetriesAndGroupSettingsComeBackFromACheckpoint() throws IOException {
    Checkpoint checkpoint = new Checkpoint(7, List.of(
        new GroupPosition("billing", 4, List.of(new PendingDelivery(3, 2, 1_700_000_005_000L)), Set.of(),
            new GroupSettings(3, "billing.parked")),
        new GroupPosition("limited", 1, List.of(), Set.of(), new GroupSettings(0, null)),
        new GroupPosition("seed", 1, List.of(new PendingDelivery(1, 1)), Set.of())));
    checkpoint.write(dir);
    assertEquals(checkpoint, Checkpoint.read(dir));
  }

  @Test
  void theDedupKeysRoundTripInAVersionThreeCheckpoint() throws IOException {
    Checkpoint checkpoint = new Checkpoint(3, List.of(new GroupPosition("g", 2, List.of(), Set.of())),
        List.of(new dev.courier.core.DedupKey("order-7 🔑", 1, 1_700_000_000_000L),
            new dev.courier.core.DedupKey("b", 9, 1_700_000_000_500L)));
    checkpoint.write(dir);
    assertEquals(checkpoint, Checkpoint.read(dir));
    assertEquals(3, java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve("checkpoint"))).getShort(4));
    new Checkpoint(3, checkpoint.positions()).write(dir);
    assertEquals(2, java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve("checkpoint"))).getShort(4),
        "without dedup keys the file stays version 2");
    assertEquals(new Checkpoint(3, checkpoint.positions()), Checkpoint.read(dir));
  }

  @Test
  void aVersionOneCheckpointReadsWithNoDelaysAndTheDefaultSettings() throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(body)) {
      out.writeLong(9);
      out.writeInt(1);
      out.writeUTF("g");
      out.writeLong(5);
      out.writeInt(1);
      out.writeLong(4);
      out.writeInt(2);
      out.writeInt(0);
    }
    byte[] bodyBytes = body.toByteArray();
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bodyBytes);
    java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(10 + bodyBytes.length);
    file.putInt(0x43524350).putShort((short) 1).putInt((int) crc.getValue()).put(bodyBytes);
    Files.write(dir.resolve("checkpoint"), file.array());
    assertEquals(new Checkpoint(9, List.of(new GroupPosition("g", 5, List.of(new PendingDelivery(4, 2, 0)), Set.of(),
        GroupSettings.DEFAULT))), Checkpoint.read(dir));
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

  @Test
  void anEmptyCheckpointRefusesNamingTheFileWhatIsWrongAndHowToProceed() throws IOException {
    Path topicDir = Files.createDirectories(dir.resolve("orders"));
    Files.write(topicDir.resolve("checkpoint"), new byte[0]);
    DamagedFileException error = assertThrows(DamagedFileException.class, () -> Checkpoint.read(topicDir));
    String message = error.getMessage();
    assertEquals(topicDir.resolve("checkpoint"), error.file());
    assertTrue(message.startsWith(topicDir.resolve("checkpoint").toAbsolutePath() + " is empty (0 bytes)."), message);
    assertTrue(message.contains("To start anyway, move it away"), message);
    assertTrue(message.contains("every group of topic orders is then forgotten"), message);
    assertTrue(message.contains("may receive again messages it had acked"), message);
  }

  @Test
  void aTruncatedOrForeignCheckpointSaysWhichDamageItIs() throws IOException {
    new Checkpoint(1, List.of(new GroupPosition("g", 5, List.of(), Set.of()))).write(dir);
    Path file = dir.resolve("checkpoint");
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(whole, 6));
    assertTrue(assertThrows(DamagedFileException.class, () -> Checkpoint.read(dir)).getMessage()
        .contains("is truncated (6 bytes)"));
    Files.write(file, "not a checkpoint at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(assertThrows(DamagedFileException.class, () -> Checkpoint.read(dir)).getMessage()
        .contains("is not a checkpoint file (bad magic)"));
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
    assertTrue(assertThrows(DamagedFileException.class, () -> Checkpoint.read(dir)).getMessage()
        .contains("fails its CRC32C check"));
  }
}
