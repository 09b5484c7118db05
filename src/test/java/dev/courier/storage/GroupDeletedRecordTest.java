package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The group_deleted record (type 8): its bytes, its round trip, and strict decoding. */
class GroupDeletedRecordTest {
  @Test
  void aDeletedGroupIsTypeEightWithTheGroupNameOnly() throws Exception {
    LogRecord record = RecordCodec.encode(42, new GroupEvent.GroupDeleted("billing"));
    assertEquals(42, record.id());
    assertEquals(RecordCodec.GROUP_DELETED, record.type());
    assertEquals(8, record.type());
    byte[] name = "billing".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(ByteBuffer.allocate(4 + name.length).putInt(name.length).put(name).array(), record.body());
    assertTrue(RecordCodec.isGroupEvent(record.type()));
    assertEquals(new GroupEvent.GroupDeleted("billing"), RecordCodec.decodeGroupEvent(record));
  }

  @Test
  void bytesLeftOverOrAShortNameAreCorrupt() {
    byte[] name = "g".getBytes(StandardCharsets.UTF_8);
    LogRecord extra = new LogRecord(1, RecordCodec.GROUP_DELETED,
        ByteBuffer.allocate(4 + name.length + 8).putInt(name.length).put(name).putLong(7).array());
    assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeGroupEvent(extra));
    LogRecord shortName = new LogRecord(1, RecordCodec.GROUP_DELETED, ByteBuffer.allocate(4).putInt(5).array());
    assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeGroupEvent(shortName));
  }
}
