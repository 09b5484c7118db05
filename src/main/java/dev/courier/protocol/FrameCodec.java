package dev.courier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;

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
 * mistyped required field is an error, never a default.
 */
public final class FrameCodec {
  public static final int LENGTH_PREFIX_BYTES = 4;
  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static final JsonFactory JSON = JsonFactory.builder()
      // The frame limit already bounds the document; this lifts Jackson's own 20 MB string cap.
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      // Escape control characters with lower-case hex digits ("u001f"), as serde_json does.
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      .build();

  private FrameCodec() {}

  /** Decodes one frame body (without its length prefix). */
  public static Frame decode(Buffer body) throws FrameException {
    byte[] bytes = body.getBytes();
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new FrameException(ErrorCode.BAD_JSON, "frame body is not a JSON object");
      }
      Fields fields = readFields(parser);
      if (parser.nextToken() != null) {
        throw new FrameException(ErrorCode.BAD_JSON, "unexpected data after the JSON object");
      }
      return toFrame(fields);
    } catch (IOException e) {
      throw new FrameException(ErrorCode.BAD_JSON, "frame body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  /** The whole frame, length prefix included, ready for one socket write. */
  public static Buffer encode(Frame frame) {
    Buffer out = Buffer.buffer(64);
    out.appendInt(0);
    try (JsonGenerator gen = JSON.createGenerator(new BufferOutput(out))) {
      gen.writeStartObject();
      writeFields(gen, frame);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into memory cannot fail", e);
    }
    out.setInt(0, out.length() - LENGTH_PREFIX_BYTES);
    return out;
  }

  private static void writeFields(JsonGenerator gen, Frame frame) throws IOException {
    if (frame instanceof Frame.Message f) {
      gen.writeStringField("type", "message");
      gen.writeNumberField("id", f.id());
      gen.writeStringField("payload", f.payload());
    } else if (frame instanceof Frame.Ok) {
      gen.writeStringField("type", "ok");
    } else if (frame instanceof Frame.Publish f) {
      gen.writeStringField("type", "publish");
      gen.writeStringField("payload", f.payload());
    } else if (frame instanceof Frame.Ack f) {
      gen.writeStringField("type", "ack");
      gen.writeNumberField("id", f.id());
    } else if (frame instanceof Frame.Register f) {
      gen.writeStringField("type", "register");
      gen.writeStringField("role", f.role().wireName());
    } else if (frame instanceof Frame.Error f) {
      gen.writeStringField("type", "error");
      gen.writeStringField("message", f.message());
      if (f.code() != null) {
        gen.writeStringField("code", f.code().wireName());
      }
    } else {
      throw new IllegalArgumentException("no encoding for " + frame);
    }
  }

  /** The fields any frame may carry; which are required depends on {@code type}. */
  private static final class Fields {
    String type;
    boolean typeMistyped;
    JsonToken roleToken;
    String role;
    JsonToken payloadToken;
    String payload;
    JsonToken idToken;
    long id;
    boolean idAboveLongRange;
    String message;
    String code;
  }

  private static Fields readFields(JsonParser parser) throws IOException {
    Fields fields = new Fields();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "type" -> {
          fields.type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          fields.typeMistyped = value != JsonToken.VALUE_STRING;
        }
        case "role" -> {
          fields.roleToken = value;
          fields.role = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        case "payload" -> {
          fields.payloadToken = value;
          fields.payload = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        case "id" -> readId(parser, value, fields);
        case "message" -> fields.message = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "code" -> fields.code = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        default -> { }
      }
      parser.skipChildren();
    }
    return fields;
  }

  private static void readId(JsonParser parser, JsonToken value, Fields fields) throws IOException {
    fields.idToken = value;
    if (value != JsonToken.VALUE_NUMBER_INT) {
      return;
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      BigInteger big = parser.getBigIntegerValue();
      if (big.signum() >= 0 && big.compareTo(MAX_U64) <= 0) {
        fields.idAboveLongRange = true;
      } else {
        fields.idToken = JsonToken.VALUE_NUMBER_FLOAT; // out of u64 range: treat as mistyped
      }
    } else {
      fields.id = parser.getLongValue();
    }
  }

  private static Frame toFrame(Fields f) throws FrameException {
    if (f.type == null) {
      throw new FrameException(ErrorCode.UNKNOWN_TYPE,
          f.typeMistyped ? "frame \"type\" must be a string" : "frame has no \"type\" field");
    }
    return switch (f.type) {
      case "register" -> new Frame.Register(role(f));
      case "publish" -> new Frame.Publish(requirePayload(f, "publish"));
      case "ack" -> new Frame.Ack(requireId(f, "ack"));
      case "message" -> new Frame.Message(requireId(f, "message"), requirePayload(f, "message"));
      case "ok" -> Frame.Ok.INSTANCE;
      case "error" -> new Frame.Error(f.message == null ? "" : f.message, ErrorCode.fromWire(f.code));
      default -> throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type \"" + abbreviate(f.type) + "\"");
    };
  }

  private static Frame.Role role(Fields f) throws FrameException {
    if (f.roleToken == null) {
      throw new FrameException(ErrorCode.BAD_ROLE, "register needs a \"role\": \"producer\" or \"consumer\"");
    }
    Frame.Role role = Frame.Role.fromWire(f.role);
    if (role == null) {
      String given = f.role == null ? "a non-string value" : "\"" + abbreviate(f.role) + "\"";
      throw new FrameException(ErrorCode.BAD_ROLE,
          "unknown role " + given + ": expected \"producer\" or \"consumer\"");
    }
    return role;
  }

  private static String requirePayload(Fields f, String type) throws FrameException {
    if (f.payloadToken != JsonToken.VALUE_STRING) {
      throw new FrameException(ErrorCode.BAD_REQUEST, type + " needs a string \"payload\"");
    }
    return f.payload;
  }

  private static long requireId(Fields f, String type) throws FrameException {
    if (f.idToken != JsonToken.VALUE_NUMBER_INT || (!f.idAboveLongRange && f.id < 0)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, type + " needs an \"id\" that is an unsigned 64-bit integer");
    }
    return f.idAboveLongRange ? Frame.Ack.UNASSIGNABLE_ID : f.id;
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** Lets Jackson write straight into the frame's buffer. */
  private static final class BufferOutput extends OutputStream {
    private final Buffer target;

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
