package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.GroupPosition;
import dev.courier.fuzz.Bytes;
import dev.courier.fuzz.Fuzz;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-based fuzzing of the checkpoint file (see {@link Fuzz}): what was written is read back,
 * and a damaged file, even one whose CRC was recomputed over the damage (a writer bug, or a file
 * put there by hand), is either read or refused with {@link DamagedFileException}, the one
 * exception docs/STORAGE.md promises: it names the file and says how to proceed.
 */
class CheckpointFuzzTest {
  /** Magic, version and CRC: see {@link Checkpoint}. */
  private static final int HEADER_BYTES = 10;

  /** In memory where the machine allows: every try writes and syncs the file (see the factory). */
  @TempDir(factory = LogRecoveryFuzzTest.InMemoryWhereAvailable.class)
  Path dir;

  @Test
  void aCheckpointWrittenIsReadBackTheSame() {
    Fuzz.forAll("checkpoint round trip", 300, CheckpointFuzzTest::checkpoint, checkpoint -> {
      checkpoint.write(dir);
      assertEquals(checkpoint, Checkpoint.read(dir));
    });
  }

  @Test
  void aDamagedCheckpointIsRefusedWithTheFileAndHowToProceed() {
    Fuzz.forAll("damaged checkpoint", 1000, r -> new Object[] {checkpoint(r), r.nextLong()}, input -> {
      Checkpoint checkpoint = (Checkpoint) input[0];
      checkpoint.write(dir);
      Path file = dir.resolve(Checkpoint.FILE_NAME);
      byte[] written = Files.readAllBytes(file);
      byte[] damaged = Bytes.mutate(new SplittableRandom((long) input[1]), written);
      Files.write(file, damaged);
      readOrRefuse(file, written, damaged, checkpoint);
    });
  }

  @Test
  void aCheckpointDamagedUnderAValidCrcIsReadOrRefusedWithTheFileAndHowToProceed() {
    Fuzz.forAll("damage under a valid CRC", 3000, r -> new Object[] {checkpoint(r), r.nextLong()}, input -> {
      Checkpoint checkpoint = (Checkpoint) input[0];
      checkpoint.write(dir);
      Path file = dir.resolve(Checkpoint.FILE_NAME);
      byte[] written = Files.readAllBytes(file);
      byte[] body = Bytes.mutate(new SplittableRandom((long) input[1]),
          Arrays.copyOfRange(written, HEADER_BYTES, written.length));
      CRC32C crc = new CRC32C();
      crc.update(body);
      byte[] forged = ByteBuffer.allocate(HEADER_BYTES + body.length).put(written, 0, 6)
          .putInt((int) crc.getValue()).put(body).array();
      Files.write(file, forged);
      readOrRefuse(file, written, forged, checkpoint);
    });
  }

  /** Found by the property above: under a valid CRC these threw UTFDataFormatException or IllegalArgumentException. */
  @ParameterizedTest
  @ValueSource(strings = {"malformed group name", "negative pending count", "negative acked-ahead count",
      "bytes left over"})
  void aBodyThatDoesNotReadUnderAValidCrcIsRefusedWithTheFile(String damage) throws IOException {
    ByteBuffer group = ByteBuffer.allocate(64).putLong(1).putInt(1);
    ByteBuffer written = switch (damage) {
      case "malformed group name" -> group.putShort((short) 2).put((byte) 0xc0).put((byte) 0x41);
      case "negative pending count" -> group.putShort((short) 1).put((byte) 'g').putLong(5).putInt(-1);
      case "negative acked-ahead count" -> group.putShort((short) 1).put((byte) 'g').putLong(5).putInt(0).putInt(-3);
      default -> ByteBuffer.allocate(64).putLong(1).putInt(0).put((byte) 7);
    };
    byte[] body = Arrays.copyOf(written.array(), written.position());
    Path file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.empty().write(dir);
    byte[] header = Files.readAllBytes(file);
    CRC32C crc = new CRC32C();
    crc.update(body);
    Files.write(file, ByteBuffer.allocate(HEADER_BYTES + body.length).put(header, 0, 6).putInt((int) crc.getValue())
        .put(body).array());
    DamagedFileException refused = assertThrows(DamagedFileException.class, () -> Checkpoint.read(dir));
    assertEquals(file, refused.file());
    assertTrue(refused.getMessage().contains("move it away"), refused.getMessage());
  }

  private void readOrRefuse(Path file, byte[] written, byte[] damaged, Checkpoint checkpoint) throws IOException {
    try {
      Checkpoint read = Checkpoint.read(dir);
      if (Arrays.equals(written, damaged)) {
        assertEquals(checkpoint, read);
      }
    } catch (DamagedFileException refused) {
      assertEquals(file, refused.file());
      assertTrue(refused.getMessage().contains(file.toAbsolutePath().toString()), refused.getMessage());
    }
    assertArrayEquals(damaged, Files.readAllBytes(file), "reading changed the file");
  }

  static Checkpoint checkpoint(SplittableRandom r) {
    List<GroupPosition> positions = new ArrayList<>();
    for (int g = r.nextInt(4); g > 0; g--) {
      List<GroupPosition.PendingDelivery> pending = new ArrayList<>();
      for (int i = r.nextInt(4); i > 0; i--) {
        pending.add(new GroupPosition.PendingDelivery(r.nextLong(), r.nextInt()));
      }
      Set<Long> ahead = new HashSet<>();
      for (int i = r.nextInt(4); i > 0; i--) {
        ahead.add(r.nextLong());
      }
      positions.add(new GroupPosition("g" + Bytes.text(r, 10), r.nextLong(), pending, ahead));
    }
    return new Checkpoint(r.nextLong(), positions);
  }
}
