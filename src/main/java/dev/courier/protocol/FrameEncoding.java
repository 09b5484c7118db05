package dev.courier.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.util.Map;

/**
 * Writes the fields of each frame type in the order serde writes them: the {@code "type"} tag,
 * then the seed's fields, then the optional ones only when present. {@link FrameCodec} wraps them
 * in the object and the length prefix.
 */
final class FrameEncoding {
  /** Only for the stats snapshot, which is rare and shaped like a document. */
  private static final ObjectMapper SNAPSHOT_MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private FrameEncoding() {}

  /**
   * Ids are u64 on the wire and held in a long: one above Long.MAX_VALUE (only ever an echoed ack)
   * is written unsigned. The same bytes as writeNumberField for every id a message can have.
   */
  private static void writeId(JsonGenerator gen, long id) throws IOException {
    gen.writeFieldName("id");
    if (id >= 0) {
      gen.writeNumber(id);
    } else {
      gen.writeNumber(Long.toUnsignedString(id));
    }
  }

  static void writeFields(JsonGenerator gen, Frame frame) throws IOException {
    if (frame instanceof Frame.Message f) {
      gen.writeStringField("type", "message");
      writeId(gen, f.id());
      gen.writeStringField("payload", f.payload());
      if (f.details() != null) {
        writeDetails(gen, f.details());
      }
    } else if (frame instanceof Frame.Ok) {
      gen.writeStringField("type", "ok");
    } else if (frame instanceof Frame.Publish f) {
      gen.writeStringField("type", "publish");
      gen.writeStringField("payload", f.payload());
      writeOptional(gen, "topic", f.topic());
      writeOptional(gen, "key", f.key());
      writeHeaders(gen, f.headers());
      writeOptional(gen, "encoding", f.encoding() == null ? null : f.encoding().wireName());
    } else if (frame instanceof Frame.Ack f) {
      gen.writeStringField("type", "ack");
      writeId(gen, f.id());
    } else if (frame instanceof Frame.Register f) {
      writeRegister(gen, f);
    } else if (frame instanceof Frame.Credit f) {
      gen.writeStringField("type", "credit");
      gen.writeNumberField("n", f.n());
    } else if (frame instanceof Frame.Error f) {
      gen.writeStringField("type", "error");
      gen.writeStringField("message", f.message());
      if (f.code() != null) {
        gen.writeStringField("code", f.code().wireName());
      }
    } else if (frame instanceof Frame.Stats) {
      gen.writeStringField("type", "stats");
    } else if (frame instanceof Frame.History f) {
      gen.writeStringField("type", "history");
      gen.writeStringField("topic", f.topic());
      if (f.fromId() != null) {
        gen.writeNumberField("from", f.fromId());
      }
      gen.writeNumberField("limit", f.limit());
    } else if (frame instanceof Frame.HistoryReply f) {
      gen.writeStringField("type", "history_reply");
      gen.writeStringField("topic", f.topic());
      gen.writeArrayFieldStart("messages");
      for (Frame.HistoryMessage m : f.messages()) {
        gen.writeStartObject();
        writeId(gen, m.id());
        gen.writeStringField("payload", m.payload());
        gen.writeNumberField("timestamp", m.timestampMillis());
        writeOptional(gen, "key", m.key());
        writeHeaders(gen, m.headers());
        writeOptional(gen, "encoding", m.encoding() == null ? null : m.encoding().wireName());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    } else if (frame instanceof Frame.StatsReply f) {
      gen.writeStringField("type", "stats_reply");
      Map<?, ?> snapshot = SNAPSHOT_MAPPER.convertValue(f.snapshot(), Map.class);
      for (Map.Entry<?, ?> entry : snapshot.entrySet()) {
        gen.writeFieldName(String.valueOf(entry.getKey()));
        SNAPSHOT_MAPPER.writeValue(gen, entry.getValue());
      }
    } else {
      throw new IllegalArgumentException("no encoding for " + frame);
    }
  }

  private static void writeRegister(JsonGenerator gen, Frame.Register f) throws IOException {
    gen.writeStringField("type", "register");
    gen.writeStringField("role", f.role().wireName());
    writeOptional(gen, "topic", f.topic());
    writeOptional(gen, "group", f.group());
    if (f.prefetch() != null) {
      gen.writeNumberField("prefetch", f.prefetch());
    }
    writeOptional(gen, "start", f.start() == null ? null : f.start().wireName());
    writeOptional(gen, "client", f.client());
  }

  private static void writeDetails(JsonGenerator gen, Frame.MessageDetails d) throws IOException {
    gen.writeStringField("topic", d.topic());
    gen.writeNumberField("attempt", d.attempt());
    gen.writeNumberField("timestamp", d.timestampMillis());
    writeOptional(gen, "key", d.key());
    writeHeaders(gen, d.headers());
    writeOptional(gen, "encoding", d.encoding() == null ? null : d.encoding().wireName());
  }

  private static void writeOptional(JsonGenerator gen, String name, String value) throws IOException {
    if (value != null) {
      gen.writeStringField(name, value);
    }
  }

  private static void writeHeaders(JsonGenerator gen, Map<String, String> headers) throws IOException {
    if (headers == null || headers.isEmpty()) {
      return;
    }
    gen.writeObjectFieldStart("headers");
    for (Map.Entry<String, String> header : headers.entrySet()) {
      gen.writeStringField(header.getKey(), header.getValue());
    }
    gen.writeEndObject();
  }
}
