package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.DedupKey;
import dev.courier.core.GroupPosition;
import dev.courier.core.GroupPosition.PendingDelivery;
import dev.courier.core.GroupSettings;
import dev.courier.core.Ordering;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group's ordering on disk (docs/STORAGE.md): record type 5's ordering byte and checkpoint version 5. */
class OrderingRecordsTest {
  @TempDir
  Path dir;

  @Test
  void anOrderedGroupsCreationIsType5WithOneMoreByteAndRoundTrips() throws CorruptRecordException {
    for (Ordering ordering : List.of(Ordering.KEY, Ordering.SINGLE)) {
      GroupEvent.GroupCreated created = new GroupEvent.GroupCreated("g", 3, null, null, ordering);
      LogRecord record = RecordCodec.encode(1, created);
      assertEquals(RecordCodec.GROUP_CREATED_WITH_SETTINGS, record.type());
      LogRecord unordered = RecordCodec.encode(1, new GroupEvent.GroupCreated("g", 3, null, "x"));
      assertEquals(created, RecordCodec.decodeGroupEvent(record));
      assertEquals(4 + 1 + 8 + 4 + 4 + 1, record.body().length, "max_deliveries and dead-letter topic absent, then the byte");
      assertEquals(4 + 1 + 8 + 4 + 4 + 1, unordered.body().length, "an unordered one as before: no ordering byte");
    }
  }

  @Test
  void aType5RecordWithoutTheOrderingByteIsAnUnorderedGroupAsAnOlderBuildWroteIt() throws CorruptRecordException {
    ByteBuffer body = ByteBuffer.allocate(4 + 1 + 8 + 4 + 4);
    body.putInt(1).put((byte) 'g').putLong(3).putInt(5).putInt(-1);
    GroupEvent event = RecordCodec.decodeGroupEvent(new LogRecord(1, RecordCodec.GROUP_CREATED_WITH_SETTINGS,
        body.array()));
    assertEquals(new GroupEvent.GroupCreated("g", 3, 5, null), event);
    assertEquals(null, ((GroupEvent.GroupCreated) event).ordering());
    assertArrayEquals(body.array(), RecordCodec.encode(1, event).body(), "and written byte for byte as before");
  }

  @Test
  void anUnknownOrderingByteOrMoreBytesAreCorruptNotGuessed() {
    byte[] body = RecordCodec.encode(1, new GroupEvent.GroupCreated("g", 3, null, null, Ordering.KEY)).body();
    byte[] unknown = body.clone();
    unknown[unknown.length - 1] = 7;
    CorruptRecordException error = assertThrows(CorruptRecordException.class,
        () -> RecordCodec.decodeGroupEvent(new LogRecord(1, RecordCodec.GROUP_CREATED_WITH_SETTINGS, unknown)));
    assertTrue(error.getMessage().contains("ordering 7"), error.getMessage());
    byte[] longer = Arrays.copyOf(body, body.length + 1);
    assertThrows(CorruptRecordException.class,
        () -> RecordCodec.decodeGroupEvent(new LogRecord(1, RecordCodec.GROUP_CREATED_WITH_SETTINGS, longer)));
  }

  @Test
  void orderedGroupsComeBackFromAVersionFiveCheckpoint() throws IOException {
    Checkpoint checkpoint = new Checkpoint(9, List.of(
        new GroupPosition("keyed", 4, List.of(new PendingDelivery(3, 1)), Set.of(),
            new GroupSettings(2, null, Ordering.KEY)),
        new GroupPosition("single", 1, List.of(), Set.of(), new GroupSettings(null, null, Ordering.SINGLE)),
        new GroupPosition("plain", 1, List.of(), Set.of())),
        List.of(new DedupKey("d", 1, 1_700_000_000_000L)));
    checkpoint.write(dir);
    assertEquals(5, version());
    assertEquals(checkpoint, Checkpoint.read(dir));

    Checkpoint withoutDedup = new Checkpoint(9, checkpoint.positions());
    withoutDedup.write(dir);
    assertEquals(5, version(), "an ordered group needs version 5, dedup keys or not");
    assertEquals(withoutDedup, Checkpoint.read(dir));
  }

  @Test
  void anOrderedGroupKeepsTheDelayWatermarkInVersionFiveAndVersionFourStillReads() throws IOException {
    Checkpoint checkpoint = new Checkpoint(9, List.of(new GroupPosition("keyed", 4, List.of(), Set.of(),
        new GroupSettings(null, null, Ordering.KEY), 1_700_000_000_000L, 3)));
    checkpoint.write(dir);
    assertEquals(5, version());
    assertEquals(checkpoint, Checkpoint.read(dir));
    Checkpoint delaysOnly = new Checkpoint(9, List.of(new GroupPosition("plain", 4, List.of(), Set.of(),
        GroupSettings.DEFAULT, 1_700_000_000_000L, 3)));
    delaysOnly.write(dir);
    assertEquals(4, version(), "no ordered group: the delay work's version, as it wrote it");
    assertEquals(delaysOnly, Checkpoint.read(dir));
  }

  @Test
  void withoutOrderedGroupsTheCheckpointKeepsItsOlderVersion() throws IOException {
    new Checkpoint(1, List.of(new GroupPosition("g", 1, List.of(), Set.of(),
        new GroupSettings(null, null, Ordering.NONE)))).write(dir);
    assertEquals(2, version(), "readable by a build that knows no ordering");
    assertEquals(Ordering.NONE, Checkpoint.read(dir).positions().get(0).settings().effectiveOrdering());
  }

  private short version() throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(dir.resolve("checkpoint"))).getShort(4);
  }
}
