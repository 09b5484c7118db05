package dev.courier.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a bench payload carries: a global sequence number and the send time, then padding up to
 * the payload size. ASCII only, so characters and bytes agree and the JSON needs no escaping.
 *
 * <pre>
 *   "17:8234519077123:xxxxxxxxxxxxxxxxxxxx...x"   (sequence : System.nanoTime() at send : padding)
 * </pre>
 *
 * The send time is only comparable with {@code System.nanoTime()} in the same JVM, which is why
 * producers and consumers of one run live in one process.
 */
public final class Payload {
  /** Room for the longest sequence number and send time with their separators. */
  public static final int MIN_BYTES = 2 * 20 + 2;
  private static final char PADDING = 'x';

  private Payload() {}

  public static String encode(int sequence, long sendNanos, int sizeBytes) {
    // Bytes, then one Latin-1 string: a StringBuilder grown char by char was a tenth of the
    // bench client's CPU per message.
    byte[] head = (sequence + ":" + sendNanos + ":").getBytes(StandardCharsets.ISO_8859_1);
    byte[] text = Arrays.copyOf(head, Math.max(sizeBytes, head.length));
    Arrays.fill(text, head.length, text.length, (byte) PADDING);
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /** The sequence number, or -1 if the payload is not one of ours. */
  public static int sequence(String payload) {
    int colon = payload.indexOf(':');
    if (colon <= 0) {
      return -1;
    }
    try {
      return Integer.parseInt(payload, 0, colon, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The send time, or -1 if the payload is not one of ours. */
  public static long sendNanos(String payload) {
    int first = payload.indexOf(':');
    int second = first < 0 ? -1 : payload.indexOf(':', first + 1);
    if (second < 0) {
      return -1;
    }
    try {
      return Long.parseLong(payload, first + 1, second, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
