package dev.courier.client;

import dev.courier.protocol.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message to publish, built with {@link #to(String)}: payload (text, or bytes that travel
 * base64), key, headers and the life-cycle fields (delay or deliver-at, TTL, dedup id; answered by
 * brokers that support them, see docs/PROTOCOL.md, refused with {@code bad_request} by older ones).
 */
public final class PublishRequest {
  final Frame.Publish frame;

  private PublishRequest(Frame.Publish frame) {
    this.frame = frame;
  }

  /** A builder for a message to {@code topic} (null: the broker's default topic). */
  public static Builder to(String topic) {
    return new Builder(topic);
  }

  public String topic() {
    return frame.topic();
  }

  /** The frame this request sends. */
  Frame.Publish frame() {
    return frame;
  }

  /** Builds a {@link PublishRequest}; a payload is required. */
  public static final class Builder {
    private final String topic;
    private String payload;
    private Frame.Encoding encoding;
    private String key;
    private Map<String, String> headers;
    private Long delayMs;
    private Long deliverAt;
    private Long ttlMs;
    private String dedupId;

    private Builder(String topic) {
      this.topic = topic;
    }

    public Builder payload(String text) {
      this.payload = text;
      this.encoding = null;
      return this;
    }

    /** Binary: sent base64 with {@code "encoding":"base64"}; the consumer's {@link Delivery#bytes()} decodes it. */
    public Builder payload(byte[] bytes) {
      this.payload = Base64.getEncoder().encodeToString(bytes);
      this.encoding = Frame.Encoding.BASE64;
      return this;
    }

    /** A partitioning or ordering key, delivered with the message. */
    public Builder key(String key) {
      this.key = key;
      return this;
    }

    public Builder header(String name, String value) {
      if (headers == null) {
        headers = new LinkedHashMap<>();
      }
      headers.put(name, value);
      return this;
    }

    /** Not delivered before now + {@code delay}. */
    public Builder delay(Duration delay) {
      this.delayMs = checkedMillis("delay", delay);
      this.deliverAt = null;
      return this;
    }

    /** Not delivered before {@code when}. */
    public Builder deliverAt(Instant when) {
      long ms = when.toEpochMilli();
      if (ms < 0 || ms > Frame.Publish.MAX_DELIVER_AT) {
        throw new IllegalArgumentException("deliverAt must be between 1970 and 9999, was " + when);
      }
      this.deliverAt = ms;
      this.delayMs = null;
      return this;
    }

    /** Never delivered once older than {@code ttl}. */
    public Builder ttl(Duration ttl) {
      this.ttlMs = checkedMillis("ttl", ttl);
      return this;
    }

    /** A second publish with this id to the same topic (within the broker's window) is not stored again. */
    public Builder dedupId(String dedupId) {
      if (dedupId != null && dedupId.getBytes(StandardCharsets.UTF_8).length > Frame.Publish.MAX_DEDUP_ID_BYTES) {
        throw new IllegalArgumentException("dedupId is longer than " + Frame.Publish.MAX_DEDUP_ID_BYTES + " bytes");
      }
      this.dedupId = dedupId;
      return this;
    }

    private static long checkedMillis(String what, Duration d) {
      long ms = d.toMillis();
      if (ms < 0 || ms > Frame.Publish.MAX_DELAY_MS) {
        throw new IllegalArgumentException(what + " must be 0.." + Frame.Publish.MAX_DELAY_MS + " ms, was " + ms);
      }
      return ms;
    }

    public PublishRequest build() {
      if (payload == null) {
        throw new IllegalArgumentException("a publish needs a payload");
      }
      return new PublishRequest(new Frame.Publish(payload, topic, key, headers == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers)),
          encoding, delayMs, deliverAt, ttlMs, dedupId));
    }
  }
}
