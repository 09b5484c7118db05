package dev.courier.client;

import dev.courier.protocol.Frame;
import java.nio.charset.StandardCharsets;

/**
 * The life cycle fields a producer puts on every publish (docs/PROTOCOL.md, "Delays, expiry and
 * dedup"), each null when not asked for. {@code dedupId} names the only message of a run, or is
 * the prefix of {@code <dedupId>-<index>} when the run has several: running the same producer
 * again after a crash then publishes nothing twice.
 */
public record PublishLifecycle(Long delayMs, Long ttlMs, String dedupId) {
  public static final PublishLifecycle NONE = new PublishLifecycle(null, null, null);

  public PublishLifecycle {
    if (delayMs != null && (delayMs < 0 || delayMs > Frame.Publish.MAX_DELAY_MS)) {
      throw new IllegalArgumentException("delay must be 0 to " + Frame.Publish.MAX_DELAY_MS + " ms (a year), was "
          + delayMs);
    }
    if (ttlMs != null && (ttlMs < 1 || ttlMs > Frame.Publish.MAX_DELAY_MS)) {
      throw new IllegalArgumentException("ttl must be 1 to " + Frame.Publish.MAX_DELAY_MS + " ms (a year), was "
          + ttlMs);
    }
    if (dedupId != null && dedupId.isEmpty()) {
      throw new IllegalArgumentException("dedup id must not be empty");
    }
  }

  public boolean isEmpty() {
    return delayMs == null && ttlMs == null && dedupId == null;
  }

  /** The dedup id of message {@code index} of {@code total}, or null. */
  public String dedupId(long index, long total) {
    if (dedupId == null) {
      return null;
    }
    return total == 1 ? dedupId : dedupId + "-" + index;
  }

  /**
   * Checks that every dedup id of a run of {@code total} messages fits the protocol's bound, so a
   * long prefix fails before anything is sent rather than at the ten-thousandth message.
   */
  public void checkFits(long total) {
    if (dedupId == null || total == 0) {
      return;
    }
    String longest = dedupId(Math.max(0, total - 1), total);
    int bytes = longest.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Frame.Publish.MAX_DEDUP_ID_BYTES) {
      throw new IllegalArgumentException("dedup id \"" + longest + "\" is " + bytes + " bytes of UTF-8; at most "
          + Frame.Publish.MAX_DEDUP_ID_BYTES + " fit a publish");
    }
  }

  /** The publish of {@code payload} as message {@code index} of {@code total}. */
  public Frame.Publish publish(String payload, long index, long total) {
    if (isEmpty()) {
      return new Frame.Publish(payload);
    }
    return new Frame.Publish(payload, null, null, null, null, delayMs, null, ttlMs, dedupId(index, total));
  }
}
