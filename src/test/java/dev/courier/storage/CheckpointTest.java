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
import java.util.Map;
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

  @Test
  void recordCodecRoundTripsMessagesAndEvents() {
    StoredMessage message = new StoredMessage(7, 1234, "k", Map.of("a", "1", "ü", "ß"), true, "aGk=");
    assertEquals(message, RecordCodec.decodeMessage(RecordCodec.encodeMessage(message)));
    StoredMessage bare = new StoredMessage(8, 0, null, null, false, "");
    assertEquals(bare, RecordCodec.decodeMessage(RecordCodec.encodeMessage(bare)));
    for (GroupEvent event : List.of(new GroupEvent.GroupCreated("g", 3), new GroupEvent.Acked("g", 9),
        new GroupEvent.Requeued("g", 9, 4))) {
      assertEquals(event, RecordCodec.decodeEvent(RecordCodec.encodeEvent(5, event)));
    }
  }

  @Test
  void aTruncatedBodyIsACorruptRecord() {
    LogRecord record = RecordCodec.encodeMessage(new StoredMessage(7, 1, "key", null, false, "payload"));
    byte[] cut = java.util.Arrays.copyOf(record.body(), record.body().length - 3);
    assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeMessage(new LogRecord(7, record.type(), cut)));
  }
}
