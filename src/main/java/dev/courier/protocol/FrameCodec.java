package dev.courier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON body of a frame to and from {@link Frame}, with Jackson's streaming API so that no tree is
 * built per message. The JSON matches what serde writes for the seed's enums: the {@code "type"}
 * tag first, then the fields in declaration order, compact, UTF-8.
 *
 * <pre>
 *  +--------+--------+--------+--------+-------------------------------------------+
 *  |      body length, u32 big-endian  | body: {"type":"publish","payload":"hello"} |
 *  +--------+--------+--------+--------+-------------------------------------------+
 *    00       00       00       25       e.g. 37 bytes for {"type":"register","role":"producer"}
 * </pre>
 *
 * Decoding is liberal with unknown fields (skipped) and strict with the known ones: a missing or
 * mistyped required field is an error, never a default. It is strict with the text itself: a body
 * that is not well-formed UTF-8 ({@link StrictText}) or repeats a key in any object is
 * {@code bad_json}, so that what the broker acts on is exactly what every other parser reads.
 */
public final class FrameCodec {
  public static final int LENGTH_PREFIX_BYTES = 4;
  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static final JsonFactory JSON = JsonFactory.builder()
      // The frame limit already bounds the document; this lifts Jackson's own 20 MB string cap.
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      // Escape control characters with lower-case hex digits ("u001f"), as serde_json does.
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      // {"type":"ack","type":"publish",...}: parsers disagree on which one wins, so neither does.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /**
   * Only for the stats snapshot, which is rare and shaped like a document; in a holder so that a
   * broker that never reads one never loads Jackson databind (about 460 classes, docs/FOOTPRINT.md).
   */
  private static final class SnapshotReader {
    static final ObjectMapper MAPPER = new ObjectMapper(JSON).setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  }

  /** Bounds the parser's own words quoted in an error (it may quote a whole 1 MiB key). */
  private static final int MAX_PARSER_MESSAGE_CHARS = 200;

  private FrameCodec() {}

  /** Which frame types a decoder accepts. */
  public enum Accept {
    /** Only what a client may send: the broker's side, where the broker's own types are unknown_type. */
    FROM_CLIENTS,
    /** Every frame type: a client's side, and tools. */
    ANY
  }

  /** Decodes one frame body (without its length prefix) of any type. */
  public static Frame decode(Buffer body) throws FrameException {
    return decode(body, Accept.ANY);
  }

  /** Decodes one frame body (without its length prefix) of a type {@code accept} allows. */
  public static Frame decode(Buffer body, Accept accept) throws FrameException {
    byte[] bytes = body.getBytes();
    // Checked before Jackson sees the bytes: it would guess an encoding from zero bytes or a BOM.
    StrictText.check(bytes);
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new FrameException(ErrorCode.BAD_JSON, "frame body is not a JSON object");
      }
      Fields fields = readFields(parser);
      if (parser.nextToken() != null) {
        throw new FrameException(ErrorCode.BAD_JSON, "unexpected data after the JSON object");
      }
      return FrameFields.toFrame(fields, bytes, accept);
    } catch (IOException e) {
      throw new FrameException(ErrorCode.BAD_JSON, "frame body is not valid JSON: " + parserMessage(e));
    }
  }

  /** The whole frame, length prefix included, ready for one socket write. */
  public static Buffer encode(Frame frame) {
    return encodeInto(Buffer.buffer(64), frame);
  }

  /**
   * Encodes frames for one connection with one reused generator: creating a generator per frame
   * was a visible share of the allocation per message. Not thread-safe: one per connection.
   * {@link #close()} gives the generator's buffers (about 16 KiB) back to Jackson's pool.
   */
  public static final class Writer implements AutoCloseable {
    private final BufferOutput output = new BufferOutput(null);
    private final JsonGenerator generator;

    public Writer() {
      try {
        generator = JSON.createGenerator(output);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Frames are separate documents: no separator between root values.
      generator.setRootValueSeparator(null);
    }

    /** Appends the whole frame, length prefix included, to {@code out}. */
    public void write(Buffer out, Frame frame) {
      int start = out.length();
      out.appendInt(0);
      output.target = out;
      try {
        generator.writeStartObject();
        FrameEncoding.writeFields(generator, frame);
        generator.writeEndObject();
        generator.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("encoding into memory cannot fail", e);
      } finally {
        output.target = null;
      }
      out.setInt(start, out.length() - start - LENGTH_PREFIX_BYTES);
    }

    /** Everything written was flushed already, so closing writes nothing; the writer is done. */
    @Override
    public void close() {
      try {
        generator.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing an in-memory generator cannot fail", e);
      }
    }
  }

  /**
   * Appends the whole frame, length prefix included, to {@code out}: a connection gathers the
   * frames of one event-loop turn in one buffer and writes them together.
   */
  public static Buffer encodeInto(Buffer out, Frame frame) {
    int start = out.length();
    out.appendInt(0);
    try (JsonGenerator gen = JSON.createGenerator(new BufferOutput(out))) {
      gen.writeStartObject();
      FrameEncoding.writeFields(gen, frame);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into memory cannot fail", e);
    }
    out.setInt(start, out.length() - start - LENGTH_PREFIX_BYTES);
    return out;
  }

  /** The fields any frame may carry, as read; {@link FrameFields} decides what they make. */
  static final class Fields {
    String type;
    boolean typeMistyped;
    /** An "id" was present and not null. */
    boolean hasId;
    /** An "id" was present and is an integer in 0..2^64-1. */
    boolean idIsU64;
    /** That id as its 64 bits: above Long.MAX_VALUE it reads negative, and Long.toUnsignedString prints it. */
    long id;
    String message;
    String code;
    Map<String, String> headers;
    boolean headersMistyped;
    long timestamp;
    int attempt;
    /** Optional or type-dependent fields: null when absent. */
    Field role;
    Field payload;
    Field topic;
    Field group;
    Field prefetch;
    Field start;
    Field client;
    Field key;
    Field encoding;
    Field n;
    Field limit;
    Field from;
    Field after;
    Field user;
    Field password;
    Field delayMs;
    Field deliverAt;
    Field ttlMs;
    Field dedupId;
    Field maxDeliveries;
    Field deadLetterTopic;
    Field duplicate;
    Field moved;
    Field ordering;
    Field active;
  }

  /**
   * One field as read: the JSON token it had, its text when that was a string, and its number
   * when that was an integer that fits a long ({@link Long#MIN_VALUE} otherwise).
   */
  record Field(JsonToken token, String text, long number) {
    static Field read(JsonParser parser, JsonToken value) throws IOException {
      return new Field(value, FrameCodec.text(parser, value), FrameCodec.integer(parser, value));
    }

    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }
  }

  private static Fields readFields(JsonParser parser) throws IOException {
    Fields f = new Fields();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "type" -> {
          f.type = text(parser, value);
          f.typeMistyped = value != JsonToken.VALUE_STRING;
        }
        case "payload" -> f.payload = Field.read(parser, value);
        case "id" -> readId(parser, value, f);
        case "role" -> f.role = Field.read(parser, value);
        case "topic" -> f.topic = Field.read(parser, value);
        case "group" -> f.group = Field.read(parser, value);
        case "prefetch" -> f.prefetch = Field.read(parser, value);
        case "start" -> f.start = Field.read(parser, value);
        case "client" -> f.client = Field.read(parser, value);
        case "key" -> f.key = Field.read(parser, value);
        case "headers" -> readHeaders(parser, value, f);
        case "encoding" -> f.encoding = Field.read(parser, value);
        case "n" -> f.n = Field.read(parser, value);
        case "limit" -> f.limit = Field.read(parser, value);
        case "from" -> f.from = Field.read(parser, value);
        case "after" -> f.after = Field.read(parser, value);
        case "user" -> f.user = Field.read(parser, value);
        case "password" -> f.password = Field.read(parser, value);
        case "delay_ms" -> f.delayMs = Field.read(parser, value);
        case "deliver_at" -> f.deliverAt = Field.read(parser, value);
        case "ttl_ms" -> f.ttlMs = Field.read(parser, value);
        case "dedup_id" -> f.dedupId = Field.read(parser, value);
        case "max_deliveries" -> f.maxDeliveries = Field.read(parser, value);
        case "dead_letter_topic" -> f.deadLetterTopic = Field.read(parser, value);
        case "duplicate" -> f.duplicate = Field.read(parser, value);
        case "moved" -> f.moved = Field.read(parser, value);
        case "ordering" -> f.ordering = Field.read(parser, value);
        case "active" -> f.active = Field.read(parser, value);
        case "message" -> f.message = text(parser, value);
        case "code" -> f.code = text(parser, value);
        case "timestamp" -> f.timestamp = integer(parser, value);
        case "attempt" -> f.attempt = (int) integer(parser, value);
        default -> { }
      }
      parser.skipChildren();
    }
    return f;
  }

  private static String text(JsonParser parser, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
  }

  /** An integer that fits a long, or {@link Long#MIN_VALUE} when it is anything else. */
  private static long integer(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return Long.MIN_VALUE;
    }
    return parser.getLongValue();
  }

  private static void readHeaders(JsonParser parser, JsonToken value, Fields f) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      f.headersMistyped = value != JsonToken.VALUE_NULL;
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken headerValue = parser.nextToken();
      if (headerValue == JsonToken.VALUE_STRING) {
        headers.put(name, parser.getText());
      } else {
        f.headersMistyped = true;
        parser.skipChildren();
      }
    }
    f.headers = headers;
  }

  private static void readId(JsonParser parser, JsonToken value, Fields fields) throws IOException {
    fields.idIsU64 = false;
    fields.hasId = value != JsonToken.VALUE_NULL;
    if (value != JsonToken.VALUE_NUMBER_INT) {
      return;
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      BigInteger big = parser.getBigIntegerValue();
      fields.idIsU64 = big.signum() >= 0 && big.compareTo(MAX_U64) <= 0;
      fields.id = big.longValue(); // the low 64 bits: exactly the id when it is a u64
    } else {
      fields.id = parser.getLongValue();
      fields.idIsU64 = fields.id >= 0;
    }
  }

  static Map<String, Object> readSnapshot(byte[] bytes) throws FrameException {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> snapshot = SnapshotReader.MAPPER.readValue(bytes, LinkedHashMap.class);
      snapshot.remove("type");
      return snapshot;
    } catch (IOException e) {
      throw new FrameException(ErrorCode.BAD_JSON, "stats reply is not valid JSON");
    }
  }

  static boolean isBase64(String payload) {
    try {
      Base64.getDecoder().decode(payload);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The first line of Jackson's message (the rest locates it in the source), abbreviated. */
  private static String parserMessage(IOException e) {
    String text = e.getMessage();
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() <= MAX_PARSER_MESSAGE_CHARS ? line : line.substring(0, MAX_PARSER_MESSAGE_CHARS) + "...";
  }

  /** Lets Jackson write straight into the frame's buffer. */
  private static final class BufferOutput extends OutputStream {
    private Buffer target;

    BufferOutput(Buffer target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      target.appendBytes(bytes, offset, length);
    }
  }
}
