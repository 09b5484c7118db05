package dev.courier.storage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bodies of the records the broker stores, after the log's own framing (length, CRC, type, id):
 *
 * <pre>
 *   MESSAGE        u64 timestamp | u8 flags (bit 0: base64) | str key | i32 headers, (str, str)* | str payload
 *   GROUP_CREATED  str group | u64 startId
 *   ACKED          str group | u64 id
 *   REQUEUED       str group | u64 id | i32 attempts
 *   str = i32 byte length (-1 for null) then UTF-8
 * </pre>
 */
public final class RecordCodec {
  public static final byte MESSAGE = 1;
  public static final byte GROUP_CREATED = 2;
  public static final byte ACKED = 3;
  public static final byte REQUEUED = 4;
  private static final int FLAG_BASE64 = 1;

  private RecordCodec() {}

  public static LogRecord encodeMessage(StoredMessage message) {
    byte[] key = utf8(message.key());
    byte[] payload = utf8(message.payload());
    Map<String, String> headers = message.headers() == null ? Map.of() : message.headers();
    int size = 8 + 1 + 4 + length(key) + 4 + 4 + length(payload);
    byte[][] headerBytes = new byte[headers.size() * 2][];
    int i = 0;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      headerBytes[i] = utf8(header.getKey());
      headerBytes[i + 1] = utf8(header.getValue());
      size += 8 + length(headerBytes[i]) + length(headerBytes[i + 1]);
      i += 2;
    }
    ByteBuffer body = ByteBuffer.allocate(size);
    body.putLong(message.timestampMillis()).put((byte) (message.base64() ? FLAG_BASE64 : 0));
    putString(body, key);
    body.putInt(headers.size());
    for (byte[] bytes : headerBytes) {
      putString(body, bytes);
    }
    putString(body, payload);
    return new LogRecord(message.id(), MESSAGE, body.array());
  }

  public static StoredMessage decodeMessage(LogRecord record) {
    if (record.type() != MESSAGE) {
      throw new CorruptRecordException("record " + record.id() + " is of type " + record.type() + ", not a message");
    }
    ByteBuffer body = ByteBuffer.wrap(record.body());
    try {
      long timestamp = body.getLong();
      boolean base64 = (body.get() & FLAG_BASE64) != 0;
      String key = getString(body);
      int headerCount = body.getInt();
      if (headerCount < 0 || headerCount > body.remaining() / 8) {
        throw new CorruptRecordException("message " + record.id() + " claims " + headerCount + " headers");
      }
      Map<String, String> headers = headerCount == 0 ? null : new LinkedHashMap<>();
      for (int i = 0; i < headerCount; i++) {
        headers.put(getString(body), getString(body));
      }
      String payload = getString(body);
      if (payload == null || body.hasRemaining()) {
        throw new CorruptRecordException("message " + record.id() + " has a malformed body");
      }
      return new StoredMessage(record.id(), timestamp, key, headers, base64, payload);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CorruptRecordException("message " + record.id() + " has a truncated body");
    }
  }

  /** A group event as a record whose id is the event's sequence number in the group log. */
  public static LogRecord encodeEvent(long sequence, GroupEvent event) {
    byte[] group = utf8(event.group());
    if (event instanceof GroupEvent.GroupCreated created) {
      return new LogRecord(sequence, GROUP_CREATED, stringThen(group, 8).putLong(created.startId()).array());
    } else if (event instanceof GroupEvent.Acked acked) {
      return new LogRecord(sequence, ACKED, stringThen(group, 8).putLong(acked.id()).array());
    } else if (event instanceof GroupEvent.Requeued requeued) {
      return new LogRecord(sequence, REQUEUED,
          stringThen(group, 12).putLong(requeued.id()).putInt(requeued.attempts()).array());
    }
    throw new IllegalArgumentException("unknown group event " + event);
  }

  public static GroupEvent decodeEvent(LogRecord record) {
    ByteBuffer body = ByteBuffer.wrap(record.body());
    try {
      String group = getString(body);
      GroupEvent event = switch (record.type()) {
        case GROUP_CREATED -> new GroupEvent.GroupCreated(group, body.getLong());
        case ACKED -> new GroupEvent.Acked(group, body.getLong());
        case REQUEUED -> new GroupEvent.Requeued(group, body.getLong(), body.getInt());
        default -> throw new CorruptRecordException("group event " + record.id() + " has unknown type " + record.type());
      };
      if (group == null || body.hasRemaining()) {
        throw new CorruptRecordException("group event " + record.id() + " has a malformed body");
      }
      return event;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CorruptRecordException("group event " + record.id() + " has a truncated body");
    }
  }

  private static ByteBuffer stringThen(byte[] string, int rest) {
    ByteBuffer body = ByteBuffer.allocate(4 + length(string) + rest);
    putString(body, string);
    return body;
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static void putString(ByteBuffer body, byte[] bytes) {
    if (bytes == null) {
      body.putInt(-1);
    } else {
      body.putInt(bytes.length).put(bytes);
    }
  }

  private static String getString(ByteBuffer body) {
    int length = body.getInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > body.remaining()) {
      throw new IllegalArgumentException("string length " + length);
    }
    String text = new String(body.array(), body.arrayOffset() + body.position(), length, StandardCharsets.UTF_8);
    body.position(body.position() + length);
    return text;
  }
}
