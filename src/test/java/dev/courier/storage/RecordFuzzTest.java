package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.fuzz.Bytes;
import dev.courier.fuzz.Fuzz;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of the record bodies (see {@link Fuzz}): what the codec wrote it reads
 * back, and any other bytes, of any type, decode or fail with {@link CorruptRecordException} only.
 */
class RecordFuzzTest {

  @Test
  void aMessageEncodedAndDecodedIsTheSameMessage() {
    Fuzz.forAll("message round trip", 2000, RecordFuzzTest::message,
        message -> assertEquals(message, RecordCodec.decodeMessage(RecordCodec.encode(message))));
  }

  @Test
  void aGroupEventEncodedAndDecodedIsTheSameEvent() {
    Fuzz.forAll("group event round trip", 2000, RecordFuzzTest::groupEvent, event -> {
      LogRecord record = RecordCodec.encode(7, event);
      assertTrue(RecordCodec.isGroupEvent(record.type()));
      assertEquals(event, RecordCodec.decodeGroupEvent(record));
    });
  }

  @Test
  void mutatedRecordsDecodeOrAreCorrupt() {
    Fuzz.forAll("mutated record", 5000, r -> {
      LogRecord valid = r.nextBoolean() ? RecordCodec.encode(message(r)) : RecordCodec.encode(r.nextLong(), groupEvent(r));
      byte type = r.nextInt(5) == 0 ? (byte) r.nextInt(256) : valid.type();
      return new LogRecord(valid.id(), type, Bytes.mutate(r, valid.body()));
    }, RecordFuzzTest::decodeEveryWay);
  }

  @Test
  void randomRecordsDecodeOrAreCorrupt() {
    Fuzz.forAll("random record", 3000,
        r -> new LogRecord(r.nextLong(), (byte) r.nextInt(6), Bytes.random(r, 80)), RecordFuzzTest::decodeEveryWay);
  }

  /** Both readers, whatever the type says: a reader given the wrong type must refuse, not misread. */
  private static void decodeEveryWay(LogRecord record) {
    try {
      StoredMessage message = RecordCodec.decodeMessage(record);
      assertNotNull(message.payload());
      assertEquals(RecordCodec.MESSAGE, record.type());
    } catch (CorruptRecordException expected) {
      assertNotNull(expected.getMessage());
    }
    try {
      GroupEvent event = RecordCodec.decodeGroupEvent(record);
      assertNotNull(event.group());
      assertTrue(RecordCodec.isGroupEvent(record.type()));
    } catch (CorruptRecordException expected) {
      assertNotNull(expected.getMessage());
    }
  }

  static StoredMessage message(SplittableRandom r) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 0; i > 0; i--) {
      headers.put(Bytes.text(r, 10), Bytes.text(r, 20));
    }
    return new StoredMessage(r.nextLong(), r.nextLong(), r.nextBoolean() ? null : Bytes.text(r, 20), headers,
        r.nextBoolean(), Bytes.text(r, r.nextInt(10) == 0 ? 4000 : 100));
  }

  private static GroupEvent groupEvent(SplittableRandom r) {
    String group = Bytes.text(r, 30);
    return switch (r.nextInt(3)) {
      case 0 -> new GroupEvent.GroupCreated(group, r.nextLong());
      case 1 -> new GroupEvent.Acked(group, r.nextLong());
      default -> new GroupEvent.Requeued(group, r.nextLong(), r.nextInt());
    };
  }
}
