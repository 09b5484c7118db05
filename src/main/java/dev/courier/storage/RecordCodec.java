package dev.courier.storage;

import dev.courier.core.Ordering;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bodies of the record types the broker stores. Integers are big-endian; a string is an i32 byte
 * count and that many bytes of UTF-8 (a count of -1 means null, where null is allowed).
 *
 * <pre>
 * MESSAGE (1)        timestampMillis u64 | flags u8 | key str? | headers i32 (key str, value str)*
 *                    | payload str            flags: bit 0 = payload is base64 text, rest zero
 * GROUP_CREATED (2)  group str | startId u64
 * ACKED (3)          group str | id u64
 * REQUEUED (4)       group str | id u64 | attempts i32
 * GROUP_CREATED_WITH_SETTINGS (5)  group str | startId u64 | maxDeliveries i32 (-1: default) | deadLetterTopic str?
 *                                  [| ordering u8 (1: key, 2: single)]
 * REQUEUED_UNTIL (6)               group str | id u64 | attempts i32 | notBeforeMillis u64
 * MESSAGE_WITH_LIFECYCLE (7)       the MESSAGE body, then dedupId str? | ttlMillis u64 (0: none)
 * GROUP_DELETED (8)                group str
 * MESSAGE_DELAYED (9)              the MESSAGE_WITH_LIFECYCLE body, then deliverAtMillis u64
 * DELAY_DUE (10)                   id u64 | dueMillis u64   (a topic event: no group)
 * </pre>
 *
 * Types 5, 6 and 7 are written only when they say something (a group created with its own settings,
 * a retry a nack delayed), so a seed broker's records are byte for byte as before; being new
 * types, an older build reports them as unknown rather than misread them. Type 8 (a group an
 * operator deleted) follows the same rule; type 7 is a message record of the life-cycle work.
 * Type 9 is a delayed publish (its due time last, so recovery reads it without decoding the rest),
 * type 10 the journal's note that one became due and went to the groups (see docs/STORAGE.md).
 * The ordering byte of type 5 is written only for an ordered group; a type 5 record without it
 * (every one an older build wrote) is a group without ordering. An older build refuses a record
 * that has it as corrupt rather than open an ordered group as an unordered one.
 *
 * Decoding is strict: a count past the end, invalid UTF-8, unknown flag bits or bytes left over
 * make a {@link CorruptRecordException}. Encoding a string that is not valid UTF-16 (a lone
 * surrogate) throws {@link IllegalArgumentException} rather than storing a replacement character.
 * Type 0 is never used, so a zero-filled record cannot pass for one.
 */
public final class RecordCodec {

  public static final byte MESSAGE = 1;
  public static final byte GROUP_CREATED = 2;
  public static final byte ACKED = 3;
  public static final byte REQUEUED = 4;
  public static final byte GROUP_CREATED_WITH_SETTINGS = 5;
  public static final byte REQUEUED_UNTIL = 6;
  /** A message whose publish named a dedup_id or ttl_ms; a seed publish stays a {@link #MESSAGE}. */
  public static final byte MESSAGE_WITH_LIFECYCLE = 7;
  public static final byte GROUP_DELETED = 8;
  /** A publish with a delay_ms or deliver_at: type 7's body and its due time. */
  public static final byte MESSAGE_DELAYED = 9;
  public static final byte DELAY_DUE = 10;

  private static final int FLAG_BASE64 = 0x01;
  /** A type 5 record's ordering byte; none is no byte at all. */
  private static final byte ORDERING_KEY = 1;
  private static final byte ORDERING_SINGLE = 2;
  private static final int NULL_LENGTH = -1;

  private RecordCodec() {
  }

  public static LogRecord encode(StoredMessage message) {
    byte[] key = message.key() == null ? null : utf8(message.key());
    // Most messages have no headers: no list, and no iterator over nothing, is made for them.
    List<byte[]> headers = message.headers().isEmpty() ? List.of() : new ArrayList<>();
    if (!message.headers().isEmpty()) {
      for (Map.Entry<String, String> header : message.headers().entrySet()) {
        headers.add(utf8(header.getKey()));
        headers.add(utf8(header.getValue()));
      }
    }
    byte[] payload = utf8(message.payload());
    byte[] dedupId = message.dedupId() == null ? null : utf8(message.dedupId());
    boolean delayed = message.deliverAtMillis() != 0;
    int size = 8 + 1 + 4 + (key == null ? 0 : key.length) + 4 + 4 + payload.length
        + (message.hasLifecycleFields() || delayed ? 4 + (dedupId == null ? 0 : dedupId.length) + 8 : 0)
        + (delayed ? 8 : 0);
    for (int i = 0; i < headers.size(); i++) {
      size += 4 + headers.get(i).length;
    }
    ByteBuffer body = ByteBuffer.allocate(size);
    body.putLong(message.timestampMillis()).put((byte) (message.base64() ? FLAG_BASE64 : 0));
    putString(body, key);
    body.putInt(headers.size() / 2);
    for (int i = 0; i < headers.size(); i++) {
      putString(body, headers.get(i));
    }
    putString(body, payload);
    if (message.hasLifecycleFields() || delayed) {
      putString(body, dedupId);
      body.putLong(message.ttlMillis());
    }
    if (delayed) {
      body.putLong(message.deliverAtMillis());
    }
    byte type = delayed ? MESSAGE_DELAYED : message.hasLifecycleFields() ? MESSAGE_WITH_LIFECYCLE : MESSAGE;
    return new LogRecord(message.id(), type, body.array());
  }

  public static StoredMessage decodeMessage(LogRecord record) throws CorruptRecordException {
    Body body = new Body(record, isMessage(record.type()) ? record.type() : MESSAGE);
    long timestampMillis = body.getLong();
    int flags = Byte.toUnsignedInt(body.getByte());
    if ((flags & ~FLAG_BASE64) != 0) {
      throw new CorruptRecordException(record, "unknown flags 0x" + Integer.toHexString(flags));
    }
    String key = body.getString(true);
    int headerCount = body.getInt();
    // Each header needs at least two 4-byte counts: a larger count is damage, not a reason to allocate.
    if (headerCount < 0 || headerCount > body.remaining() / 8) {
      throw new CorruptRecordException(record, "header count " + headerCount + " does not fit");
    }
    // Linked: headers come back in the order the producer sent them (and the encoder wrote them).
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < headerCount; i++) {
      String name = body.getString(false);
      if (headers.put(name, body.getString(false)) != null) {
        throw new CorruptRecordException(record, "header '" + name + "' appears twice");
      }
    }
    String payload = body.getString(false);
    String dedupId = null;
    long ttlMillis = 0;
    if (record.type() != MESSAGE) {
      dedupId = body.getString(true);
      ttlMillis = body.getLong();
      if (ttlMillis < 0) {
        throw new CorruptRecordException(record, "negative ttl " + ttlMillis);
      }
    }
    long deliverAtMillis = record.type() == MESSAGE_DELAYED ? body.getLong() : 0;
    if (deliverAtMillis < 0) {
      throw new CorruptRecordException(record, "negative due time " + deliverAtMillis);
    }
    body.expectEnd();
    return new StoredMessage(record.id(), timestampMillis, key, headers, (flags & FLAG_BASE64) != 0, payload, dedupId,
        ttlMillis, deliverAtMillis);
  }

  /** The three message record types: seed, with life-cycle fields, delayed. */
  public static boolean isMessage(byte type) {
    return type == MESSAGE || type == MESSAGE_WITH_LIFECYCLE || type == MESSAGE_DELAYED;
  }

  /**
   * A delayed publish's due time read from the end of its record without decoding the rest (for
   * the paged records recovery only sizes); 0 for any other record or one too short to hold it.
   */
  public static long deliverAtMillis(LogRecord record) {
    byte[] body = record.body();
    return record.type() != MESSAGE_DELAYED || body.length < 8 ? 0
        : Math.max(0, ByteBuffer.wrap(body, body.length - 8, 8).getLong());
  }

  /** A record carrying {@code event}; {@code sequence} is its id in the log. */
  public static LogRecord encode(long sequence, GroupEvent event) {
    if (event instanceof GroupEvent.GroupDeleted deleted) {
      return encodeDeleted(sequence, deleted);
    }
    if (event instanceof GroupEvent.DelayDue due) {
      return new LogRecord(sequence, DELAY_DUE, ByteBuffer.allocate(16).putLong(due.id()).putLong(due.dueMillis())
          .array());
    }
    byte[] group = utf8(event.group());
    int size = 4 + group.length + 8;
    byte[] deadLetterTopic = null;
    if (event instanceof GroupEvent.GroupCreated created && created.hasSettings()) {
      deadLetterTopic = created.deadLetterTopic() == null ? null : utf8(created.deadLetterTopic());
      size += 4 + 4 + (deadLetterTopic == null ? 0 : deadLetterTopic.length) + (created.ordering() != null ? 1 : 0);
    } else if (event instanceof GroupEvent.Requeued requeued) {
      size += 4 + (requeued.notBeforeMillis() != 0 ? 8 : 0);
    }
    ByteBuffer body = ByteBuffer.allocate(size);
    putString(body, group);
    byte type;
    if (event instanceof GroupEvent.GroupCreated created) {
      type = created.hasSettings() ? GROUP_CREATED_WITH_SETTINGS : GROUP_CREATED;
      body.putLong(created.startId());
      if (created.hasSettings()) {
        body.putInt(created.maxDeliveries() == null ? -1 : created.maxDeliveries());
        putString(body, deadLetterTopic);
        if (created.ordering() != null) {
          body.put(created.ordering() == Ordering.KEY ? ORDERING_KEY : ORDERING_SINGLE);
        }
      }
    } else if (event instanceof GroupEvent.Acked acked) {
      type = ACKED;
      body.putLong(acked.id());
    } else {
      GroupEvent.Requeued requeued = (GroupEvent.Requeued) event;
      type = requeued.notBeforeMillis() != 0 ? REQUEUED_UNTIL : REQUEUED;
      body.putLong(requeued.id()).putInt(requeued.attempts());
      if (requeued.notBeforeMillis() != 0) {
        body.putLong(requeued.notBeforeMillis());
      }
    }
    return new LogRecord(sequence, type, body.array());
  }

  private static LogRecord encodeDeleted(long sequence, GroupEvent.GroupDeleted deleted) {
    byte[] group = utf8(deleted.group());
    ByteBuffer body = ByteBuffer.allocate(4 + group.length);
    putString(body, group);
    return new LogRecord(sequence, GROUP_DELETED, body.array());
  }

  public static GroupEvent decodeGroupEvent(LogRecord record) throws CorruptRecordException {
    if (!isGroupEvent(record.type())) {
      throw new CorruptRecordException(record, "not a group event type");
    }
    Body body = new Body(record, record.type());
    if (record.type() == DELAY_DUE) {
      GroupEvent due = new GroupEvent.DelayDue(body.getLong(), body.getLong());
      body.expectEnd();
      return due;
    }
    String group = body.getString(false);
    GroupEvent event = switch (record.type()) {
      case GROUP_CREATED -> new GroupEvent.GroupCreated(group, body.getLong());
      case GROUP_CREATED_WITH_SETTINGS -> {
        long startId = body.getLong();
        int maxDeliveries = body.getInt();
        if (maxDeliveries < -1) {
          throw new CorruptRecordException(record, "max deliveries " + maxDeliveries);
        }
        String deadLetterTopic = body.getString(true);
        Ordering ordering = null;
        if (body.remaining() > 0) {
          byte code = body.getByte();
          if (code != ORDERING_KEY && code != ORDERING_SINGLE) {
            throw new CorruptRecordException(record, "unknown ordering " + code);
          }
          ordering = code == ORDERING_KEY ? Ordering.KEY : Ordering.SINGLE;
        }
        yield new GroupEvent.GroupCreated(group, startId, maxDeliveries == -1 ? null : maxDeliveries,
            deadLetterTopic, ordering);
      }
      case ACKED -> new GroupEvent.Acked(group, body.getLong());
      case REQUEUED -> new GroupEvent.Requeued(group, body.getLong(), body.getInt());
      case REQUEUED_UNTIL -> new GroupEvent.Requeued(group, body.getLong(), body.getInt(), body.getLong());
      case GROUP_DELETED -> new GroupEvent.GroupDeleted(group);
      default -> throw new IllegalStateException("checked above: " + record.type());
    };
    body.expectEnd();
    return event;
  }

  public static boolean isGroupEvent(byte type) {
    return type == GROUP_CREATED || type == ACKED || type == REQUEUED || type == GROUP_CREATED_WITH_SETTINGS
        || type == REQUEUED_UNTIL || type == GROUP_DELETED || type == DELAY_DUE;
  }

  private static void putString(ByteBuffer body, byte[] utf8) {
    if (utf8 == null) {
      body.putInt(NULL_LENGTH);
    } else {
      body.putInt(utf8.length).put(utf8);
    }
  }

  private static byte[] utf8(String text) {
    if (!hasSurrogate(text)) {
      // Without a surrogate the JDK's own encoding is exact and needs no encoder, char buffer or
      // three-bytes-a-char scratch buffer: those were a tenth of the broker's allocation per message.
      return text.getBytes(StandardCharsets.UTF_8);
    }
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("string is not valid UTF-16 (lone surrogate?): " + e.getMessage(), e);
    }
  }

  /** A surrogate, paired or not: only then does the strict encoder have something to refuse. */
  private static boolean hasSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Reads a body, turning every way it can run short or be malformed into one exception. */
  private static final class Body {
    private final LogRecord record;
    private final ByteBuffer bytes;

    Body(LogRecord record, byte expectedType) throws CorruptRecordException {
      if (record.type() != expectedType) {
        throw new CorruptRecordException(record, "expected type " + expectedType);
      }
      this.record = record;
      this.bytes = ByteBuffer.wrap(record.body());
    }

    int remaining() {
      return bytes.remaining();
    }

    byte getByte() throws CorruptRecordException {
      need(1);
      return bytes.get();
    }

    int getInt() throws CorruptRecordException {
      need(4);
      return bytes.getInt();
    }

    long getLong() throws CorruptRecordException {
      need(8);
      return bytes.getLong();
    }

    String getString(boolean nullable) throws CorruptRecordException {
      int length = getInt();
      if (length == NULL_LENGTH && nullable) {
        return null;
      }
      if (length < 0 || length > bytes.remaining()) {
        throw new CorruptRecordException(record, "string length " + length + " at byte "
            + (bytes.position() - 4) + " does not fit");
      }
      ByteBuffer slice = bytes.slice().limit(length);
      bytes.position(bytes.position() + length);
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(slice).toString();
      } catch (CharacterCodingException e) {
        throw new CorruptRecordException(record, "invalid UTF-8 at byte " + (bytes.position() - length));
      }
    }

    void expectEnd() throws CorruptRecordException {
      if (bytes.hasRemaining()) {
        throw new CorruptRecordException(record, bytes.remaining() + " bytes left over");
      }
    }

    private void need(int count) throws CorruptRecordException {
      if (bytes.remaining() < count) {
        throw new CorruptRecordException(record, "ends at byte " + bytes.position() + ", "
            + count + " more bytes needed");
      }
    }
  }
}
