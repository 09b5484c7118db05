package dev.courier.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes the fields of each frame type in the order serde writes them: the {@code "type"} tag,
 * then the seed's fields, then the optional ones only when present. {@link FrameCodec} wraps them
 * in the object and the length prefix.
 */
final class FrameEncoding {
  /**
   * Only for the stats snapshot, which is rare and shaped like a document; in a holder so that a
   * broker that never writes one never loads Jackson databind.
   */
  private static final class SnapshotWriter {
    static final ObjectMapper MAPPER = new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // A snapshot's "next" is absent on the last page, not null.
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

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
    } else if (frame instanceof Frame.Ok f) {
      gen.writeStringField("type", "ok");
      if (f.id() != null) {
        writeId(gen, f.id());
      }
      if (f.duplicate()) {
        gen.writeBooleanField("duplicate", true);
      }
    } else if (frame instanceof Frame.Publish f) {
      gen.writeStringField("type", "publish");
      gen.writeStringField("payload", f.payload());
      writeOptional(gen, "topic", f.topic());
      writeOptional(gen, "key", f.key());
      writeHeaders(gen, f.headers());
      writeOptional(gen, "encoding", f.encoding() == null ? null : f.encoding().wireName());
      writeOptional(gen, "delay_ms", f.delayMs());
      writeOptional(gen, "deliver_at", f.deliverAt());
      writeOptional(gen, "ttl_ms", f.ttlMs());
      writeOptional(gen, "dedup_id", f.dedupId());
    } else if (frame instanceof Frame.Ack f) {
      gen.writeStringField("type", "ack");
      writeId(gen, f.id());
    } else if (frame instanceof Frame.Nack f) {
      gen.writeStringField("type", "nack");
      writeId(gen, f.id());
      writeOptional(gen, "delay_ms", f.delayMs());
    } else if (frame instanceof Frame.Touch f) {
      gen.writeStringField("type", "touch");
      writeId(gen, f.id());
    } else if (frame instanceof Frame.Redrive f) {
      gen.writeStringField("type", "redrive");
      gen.writeStringField("topic", f.topic());
      if (f.limit() != null) {
        gen.writeNumberField("limit", f.limit());
      }
    } else if (frame instanceof Frame.RedriveReply f) {
      gen.writeStringField("type", "redrive_reply");
      gen.writeNumberField("moved", f.moved());
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
    } else if (frame instanceof Frame.Stats f) {
      gen.writeStringField("type", "stats");
      writeOptional(gen, "after", f.after());
      if (f.limit() != Frame.Stats.NO_LIMIT) {
        gen.writeNumberField("limit", f.limit());
      }
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
        writeHistoryMessage(gen, m);
      }
      gen.writeEndArray();
      if (f.nextId() != null) {
        gen.writeNumberField("next_id", f.nextId());
      }
    } else if (frame instanceof Frame.StatsReply f) {
      gen.writeStringField("type", "stats_reply");
      writeSnapshotFields(gen, f.snapshot());
    } else {
      throw new IllegalArgumentException("no encoding for " + frame);
    }
  }

  /**
   * The snapshot's fields after the type tag. A page can be a whole frame of figures: serialised
   * once and spliced in, not converted to a tree first.
   */
  private static void writeSnapshotFields(JsonGenerator gen, Object snapshot) throws IOException {
    String object = SnapshotWriter.MAPPER.writeValueAsString(snapshot);
    if (!object.startsWith("{") || !object.endsWith("}")) {
      throw new IllegalArgumentException("a stats snapshot must be a JSON object, not " + snapshot.getClass());
    }
    if (object.length() > 2) {
      // The generator has written the type field; the fields of the object follow it as they are.
      gen.writeRaw(',');
      gen.writeRaw(object, 1, object.length() - 2);
    }
  }

  /** The bytes a topic name takes inside a JSON string: names are printable ASCII, so its length. */
  static long nameBytes(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return snapshotValueBytes(name) - 2;
      }
    }
    return name.length();
  }

  /** The bytes {@code value} takes as a JSON value inside a stats reply. */
  static long snapshotValueBytes(Object value) {
    CountingOutput count = new CountingOutput();
    try {
      SnapshotWriter.MAPPER.writeValue(count, value);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into a counter cannot fail", e);
    }
    return count.bytes;
  }

  /** The bytes one message takes inside the {@code messages} array of a history reply. */
  static long historyMessageBytes(Frame.HistoryMessage message) {
    CountingOutput count = new CountingOutput();
    try (JsonGenerator gen = SnapshotWriter.MAPPER.getFactory().createGenerator(count)) {
      writeHistoryMessage(gen, message);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into a counter cannot fail", e);
    }
    return count.bytes;
  }

  private static void writeHistoryMessage(JsonGenerator gen, Frame.HistoryMessage m) throws IOException {
    gen.writeStartObject();
    writeId(gen, m.id());
    gen.writeStringField("payload", m.payload());
    gen.writeNumberField("timestamp", m.timestampMillis());
    writeOptional(gen, "key", m.key());
    writeHeaders(gen, m.headers());
    writeOptional(gen, "encoding", m.encoding() == null ? null : m.encoding().wireName());
    gen.writeEndObject();
  }

  /** Measures without keeping: a page is sized before it is built. */
  private static final class CountingOutput extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
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
    writeOptional(gen, "user", f.user());
    writeOptional(gen, "password", f.password());
    if (f.maxDeliveries() != null) {
      gen.writeNumberField("max_deliveries", f.maxDeliveries());
    }
    writeOptional(gen, "dead_letter_topic", f.deadLetterTopic());
    writeOptional(gen, "ordering", f.ordering() == null ? null : f.ordering().wireName());
  }

  private static void writeDetails(JsonGenerator gen, Frame.MessageDetails d) throws IOException {
    gen.writeStringField("topic", d.topic());
    gen.writeNumberField("attempt", d.attempt());
    gen.writeNumberField("timestamp", d.timestampMillis());
    writeOptional(gen, "key", d.key());
    writeHeaders(gen, d.headers());
    writeOptional(gen, "encoding", d.encoding() == null ? null : d.encoding().wireName());
    if (d.active() != null) {
      gen.writeBooleanField("active", d.active());
    }
  }

  private static void writeOptional(JsonGenerator gen, String name, String value) throws IOException {
    if (value != null) {
      gen.writeStringField(name, value);
    }
  }

  private static void writeOptional(JsonGenerator gen, String name, Long value) throws IOException {
    if (value != null) {
      gen.writeNumberField(name, value);
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
