package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCodecTest {

  @TempDir
  Path dir;

  @Test
  void roundTripsMessagesWithUnicodeEmptyStringsNullKeyAndManyHeaders() throws Exception {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      many.put("h" + i, "v" + i);
    }
    List<StoredMessage> messages = List.of(
        new StoredMessage(1, 1_700_000_000_123L, "key", Map.of("a", "b"), false, "hello"),
        new StoredMessage(2, 0, null, Map.of(), false, ""),
        new StoredMessage(3, -1, "", Map.of("", ""), true, "aGVsbG8="),
        new StoredMessage(4, Long.MAX_VALUE, "ключ 🔑", Map.of("émoji", "😀 ✓", "中文", "字"), false,
            "ünïcödé — 𝄞 \u0000 end"),
        new StoredMessage(5, 42, null, many, true, "x".repeat(100_000)));
    for (StoredMessage message : messages) {
      LogRecord record = RecordCodec.encode(message);
      assertEquals(message.id(), record.id());
      assertEquals(RecordCodec.MESSAGE, record.type());
      assertEquals(message, RecordCodec.decodeMessage(record));
    }
  }

  @Test
  void twentyHeadersComeBackFromDiskInTheOrderTheProducerSentThem() throws Exception {
    // Names chosen so that neither hash order nor sorted order matches the sent order.
    Map<String, String> sent = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      sent.put("z" + (i * 7 % 20) + "-" + (char) ('q' - i), "v" + i);
    }
    List<String> order = List.copyOf(sent.keySet());
    assertNotEquals(order, List.copyOf(new HashMap<>(sent).keySet()), "hash order must differ for the test to mean anything");
    try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20)) {
      log.append(List.of(RecordCodec.encode(new StoredMessage(1, 5, null, sent, false, "p"))));
      log.force();
    }
    try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20)) {
      StoredMessage back = RecordCodec.decodeMessage(log.read(1, 1, Long.MAX_VALUE).get(0));
      assertEquals(order, List.copyOf(back.headers().keySet()));
      assertEquals(sent, back.headers());
    }
  }

  @Test
  void nullHeadersBecomeEmpty() throws Exception {
    StoredMessage message = new StoredMessage(1, 2, null, null, false, "p");
    assertEquals(Map.of(), RecordCodec.decodeMessage(RecordCodec.encode(message)).headers());
  }

  @Test
  void roundTripsEveryGroupEvent() throws Exception {
    List<GroupEvent> events = List.of(
        new GroupEvent.GroupCreated("workers", 17),
        new GroupEvent.GroupCreated("", 0),
        new GroupEvent.Acked("grüppe 😀", Long.MAX_VALUE),
        new GroupEvent.Requeued("workers", 99, 3),
        new GroupEvent.Requeued("w", 1, Integer.MAX_VALUE),
        new GroupEvent.GroupCreated("limited", 3, 5, null),
        new GroupEvent.GroupCreated("parked", 3, null, "orders.parked"),
        new GroupEvent.GroupCreated("both", 3, 0, "x"),
        new GroupEvent.Requeued("later", 7, 2, 1_700_000_000_000L));
    long sequence = 1;
    for (GroupEvent event : events) {
      LogRecord record = RecordCodec.encode(sequence, event);
      assertEquals(sequence++, record.id());
      assertTrue(RecordCodec.isGroupEvent(record.type()));
      assertEquals(event, RecordCodec.decodeGroupEvent(record));
    }
    assertEquals(RecordCodec.GROUP_CREATED, RecordCodec.encode(1, events.get(0)).type());
    assertEquals(RecordCodec.ACKED, RecordCodec.encode(1, events.get(2)).type());
    assertEquals(RecordCodec.REQUEUED, RecordCodec.encode(1, events.get(3)).type());
    assertEquals(RecordCodec.GROUP_CREATED_WITH_SETTINGS, RecordCodec.encode(1, events.get(5)).type());
    assertEquals(RecordCodec.REQUEUED_UNTIL, RecordCodec.encode(1, events.get(8)).type());
  }

  @Test
  void aSeedGroupsEventsAreByteForByteAsBeforeLifeCycles() {
    // group str (4 + 1) | startId u64; group str | id u64 | attempts i32: no tails.
    assertEquals(13, RecordCodec.encode(1, new GroupEvent.GroupCreated("g", 1)).body().length);
    assertEquals(17, RecordCodec.encode(1, new GroupEvent.Requeued("g", 1, 1)).body().length);
  }

  @Test
  void encodedRecordsSurviveTheLog() throws Exception {
    StoredMessage message = new StoredMessage(1, 5, "k", Map.of("h", "v"), false, "payload");
    GroupEvent acked = new GroupEvent.Acked("g", 1);
    try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20)) {
      log.append(List.of(RecordCodec.encode(message), RecordCodec.encode(2, acked)));
    }
    try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20)) {
      List<LogRecord> read = log.read(1, 10, Long.MAX_VALUE);
      assertEquals(message, RecordCodec.decodeMessage(read.get(0)));
      assertEquals(acked, RecordCodec.decodeGroupEvent(read.get(1)));
    }
  }

  @Test
  void rejectsEveryTruncationOfAMessageBody() {
    byte[] body = RecordCodec.encode(new StoredMessage(1, 5, "k", Map.of("h", "v"), true, "p")).body();
    for (int length = 0; length < body.length; length++) {
      LogRecord cut = new LogRecord(1, RecordCodec.MESSAGE, Arrays.copyOf(body, length));
      assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeMessage(cut), "length " + length);
    }
  }

  @Test
  void rejectsEveryTruncationOfAGroupEventBody() {
    byte[] body = RecordCodec.encode(1, new GroupEvent.Requeued("g", 2, 3)).body();
    for (int length = 0; length < body.length; length++) {
      LogRecord cut = new LogRecord(1, RecordCodec.REQUEUED, Arrays.copyOf(body, length));
      assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeGroupEvent(cut), "length " + length);
    }
  }

  @Test
  void rejectsMalformedMessageBodies() {
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(-1).putInt(0).putInt(1).put((byte) 'p').put((byte) 0)),
        "1 bytes left over");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0x82).putInt(-1).putInt(0).putInt(0)), "unknown flags");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(-2).putInt(0).putInt(0)), "string length -2");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(-1).putInt(0).putInt(-1)), "string length -1");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(-1).putInt(0).putInt(1000)), "string length 1000");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(-1).putInt(Integer.MAX_VALUE).putInt(0)),
        "header count");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(-1).putInt(-5).putInt(0)), "header count");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(2).put((byte) 0xc3).put((byte) 0x28)
        .putInt(0).putInt(0)), "invalid UTF-8");
    assertCorrupt(message(b -> b.putLong(1).put((byte) 0).putInt(-1).putInt(2)
        .putInt(1).put((byte) 'a').putInt(0).putInt(1).put((byte) 'a').putInt(0).putInt(0)), "appears twice");
  }

  @Test
  void rejectsTheWrongTypeAndTrailingBytesInGroupEvents() {
    LogRecord message = RecordCodec.encode(new StoredMessage(1, 5, null, Map.of(), false, "p"));
    assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeGroupEvent(message));
    LogRecord acked = RecordCodec.encode(1, new GroupEvent.Acked("g", 2));
    assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeMessage(acked));
    byte[] longer = Arrays.copyOf(acked.body(), acked.body().length + 1);
    CorruptRecordException error = assertThrows(CorruptRecordException.class,
        () -> RecordCodec.decodeGroupEvent(new LogRecord(1, RecordCodec.ACKED, longer)));
    assertTrue(error.getMessage().contains("1 bytes left over"), error.getMessage());
    assertThrows(CorruptRecordException.class,
        () -> RecordCodec.decodeGroupEvent(new LogRecord(1, (byte) 0, acked.body())));
  }

  @Test
  void refusesToEncodeALoneSurrogateInsteadOfAlteringIt() {
    assertThrows(IllegalArgumentException.class,
        () -> RecordCodec.encode(new StoredMessage(1, 5, null, Map.of(), false, "bad \ud800 half")));
    assertThrows(IllegalArgumentException.class, () -> RecordCodec.encode(1, new GroupEvent.Acked("\udc00", 1)));
  }

  @Test
  void storesEachStringAsItsUtf8BytesWhetherItHasSurrogatePairsOrNot() {
    for (String payload : List.of("plain", "h\u00e9llo \u20ac", "rocket \ud83d\ude80 and \ud83d\ude00", "")) {
      byte[] body = RecordCodec.encode(new StoredMessage(1, 5, null, Map.of(), false, payload)).body();
      byte[] utf8 = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      // MESSAGE: timestamp u64 | flags u8 | key str? | headers i32 | payload str, the payload last.
      assertEquals(8 + 1 + 4 + 4 + 4 + utf8.length, body.length, payload);
      assertEquals(utf8.length, ByteBuffer.wrap(body).getInt(17), payload);
      assertArrayEquals(utf8, Arrays.copyOfRange(body, 21, body.length), payload);
    }
  }

  private interface BodyWriter {
    void write(ByteBuffer body);
  }

  private static LogRecord message(BodyWriter writer) {
    ByteBuffer body = ByteBuffer.allocate(256);
    writer.write(body);
    return new LogRecord(9, RecordCodec.MESSAGE, Arrays.copyOf(body.array(), body.position()));
  }

  private static void assertCorrupt(LogRecord record, String reason) {
    CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeMessage(record));
    assertTrue(error.getMessage().contains(reason), error.getMessage());
    assertTrue(error.getMessage().startsWith("record 9 (type 1"), error.getMessage());
  }

  @Test
  void theMalformedBodyFixtureWritesTheRealLayout() throws CorruptRecordException {
    LogRecord valid = message(b -> b.putLong(7).put((byte) 1).putInt(-1).putInt(0).putInt(1).put((byte) 'p'));
    assertEquals(new StoredMessage(9, 7, null, Map.of(), true, "p"), RecordCodec.decodeMessage(valid));
    assertArrayEquals(valid.body(), RecordCodec.encode(new StoredMessage(9, 7, null, Map.of(), true, "p")).body());
  }

  @Test
  void aMessageWithADedupIdIsARecordOfType7ThatRoundTripsAndASeedMessageStaysType1ByteForByte()
      throws CorruptRecordException {
    StoredMessage seed = new StoredMessage(9, 7, "k", Map.of("h", "v"), false, "p");
    StoredMessage keyed = new StoredMessage(9, 7, "k", Map.of("h", "v"), false, "p", "order-7 🔑");
    LogRecord seedRecord = RecordCodec.encode(seed);
    LogRecord keyedRecord = RecordCodec.encode(keyed);

    assertEquals(RecordCodec.MESSAGE, seedRecord.type());
    assertEquals(RecordCodec.MESSAGE_WITH_LIFECYCLE, keyedRecord.type());
    assertEquals(keyed, RecordCodec.decodeMessage(keyedRecord));
    assertArrayEquals(seedRecord.body(), Arrays.copyOf(keyedRecord.body(), seedRecord.body().length),
        "type 7 is the seed body with the life-cycle fields after it");
  }

  @Test
  void aTtlAloneOrWithADedupIdRoundTripsAsType7() throws CorruptRecordException {
    for (StoredMessage message : List.of(new StoredMessage(3, 7, null, Map.of(), true, "p", null, 60_000),
        new StoredMessage(4, 7, "k", Map.of("h", "v"), false, "p", "order-7", 1))) {
      LogRecord record = RecordCodec.encode(message);
      assertEquals(RecordCodec.MESSAGE_WITH_LIFECYCLE, record.type());
      assertEquals(message, RecordCodec.decodeMessage(record));
    }
  }

  @Test
  void aType7RecordWithoutItsLifeCycleFieldsOrReadAsASeedMessageIsReportedNotMisread() {
    LogRecord seedBody = RecordCodec.encode(new StoredMessage(9, 7, null, Map.of(), false, "p"));
    LogRecord truncated = new LogRecord(9, RecordCodec.MESSAGE_WITH_LIFECYCLE, seedBody.body());
    CorruptRecordException missing = assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeMessage(truncated));
    assertTrue(missing.getMessage().contains("more bytes needed"), missing.getMessage());
    // A build from before type 7 decodes a message only as type 1: it reports the record as it would any damage.
    LogRecord keyed = RecordCodec.encode(new StoredMessage(9, 7, null, Map.of(), false, "p", "a"));
    assertFalse(RecordCodec.isGroupEvent(keyed.type()));
    CorruptRecordException asLeftOver = assertThrows(CorruptRecordException.class,
        () -> RecordCodec.decodeMessage(new LogRecord(9, RecordCodec.MESSAGE, keyed.body())));
    assertTrue(asLeftOver.getMessage().contains("bytes left over"), asLeftOver.getMessage());
  }
}
