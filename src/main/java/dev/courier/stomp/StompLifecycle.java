package dev.courier.stomp;

import dev.courier.protocol.Frame.Publish;
import io.vertx.ext.stomp.Frame;
import java.nio.charset.StandardCharsets;

/**
 * A SEND's life-cycle headers (docs/STOMP.md): the Courier publish's {@code delay_ms},
 * {@code deliver_at}, {@code ttl_ms} and {@code dedup_id}, with the wire codec's ranges. A value
 * out of range is refused naming the header, never clamped: a wrong delay silently taken is a
 * lost schedule.
 */
record StompLifecycle(long delayMs, long deliverAt, long ttlMs, String dedupId, String problem) {
  static final String DELAY_MS = StompHeaders.DELAY_MS;
  static final String DELIVER_AT = "courier-deliver-at";
  static final String TTL_MS = "courier-ttl-ms";
  static final String DEDUP_ID = "courier-dedup-id";

  /** Whether any was sent: then the RECEIPT carries the message's id, as a Courier ok does. */
  boolean any() {
    return delayMs > 0 || deliverAt > 0 || ttlMs > 0 || dedupId != null;
  }

  /** The headers the core's delay-versus-TTL refusal is about, as this SEND named them. */
  String headerNames() {
    return (deliverAt > 0 ? DELIVER_AT : DELAY_MS) + " reaches " + TTL_MS;
  }

  static StompLifecycle of(Frame frame) {
    String delay = frame.getHeader(DELAY_MS);
    String at = frame.getHeader(DELIVER_AT);
    String ttl = frame.getHeader(TTL_MS);
    String dedupId = frame.getHeader(DEDUP_ID);
    long delayMs = number(delay, 0, Publish.MAX_DELAY_MS);
    if (delayMs < 0) {
      return refused(range(DELAY_MS, 0, Publish.MAX_DELAY_MS, delay));
    }
    long deliverAt = number(at, 0, Publish.MAX_DELIVER_AT);
    if (deliverAt < 0) {
      return refused(range(DELIVER_AT, 0, Publish.MAX_DELIVER_AT, at));
    }
    if (delay != null && at != null) {
      return refused("SEND takes " + DELAY_MS + " or " + DELIVER_AT + ", not both: they would disagree on when");
    }
    long ttlMs = number(ttl, 1, Publish.MAX_DELAY_MS);
    if (ttlMs < 0) {
      return refused(range(TTL_MS, 1, Publish.MAX_DELAY_MS, ttl));
    }
    if (dedupId != null) {
      int bytes = dedupId.getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0 || bytes > Publish.MAX_DEDUP_ID_BYTES) {
        return refused(DEDUP_ID + " must be 1 to " + Publish.MAX_DEDUP_ID_BYTES + " bytes of UTF-8, got " + bytes);
      }
    }
    return new StompLifecycle(delayMs, deliverAt, ttlMs, dedupId, null);
  }

  private static StompLifecycle refused(String problem) {
    return new StompLifecycle(0, 0, 0, null, problem);
  }

  private static String range(String header, long min, long max, String value) {
    return header + " must be a whole number from " + min + " to " + max + "; was \"" + value + "\"";
  }

  /** 0 when absent; -1 when not decimal digits within min..max (no sign or spaces, and few enough digits to fit a long). */
  private static long number(String value, long min, long max) {
    if (value == null) {
      return 0;
    }
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    long n = Long.parseLong(value);
    return n >= min && n <= max ? n : -1;
  }
}
