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
    // Digits straight into the bytes, then one Latin-1 string: a StringBuilder grown char by char
    // was a tenth of the bench client's CPU per message, and a string per part its garbage.
    int headBytes = digits(sequence) + 1 + digits(sendNanos) + 1;
    byte[] text = new byte[Math.max(sizeBytes, headBytes)];
    int at = writeDigits(text, 0, sequence);
    text[at++] = ':';
    at = writeDigits(text, at, sendNanos);
    text[at++] = ':';
    Arrays.fill(text, at, text.length, (byte) PADDING);
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  private static int digits(long value) {
    int n = value < 0 ? 2 : 1;
    for (long rest = Math.abs(value / 10); rest > 0; rest /= 10) {
      n++;
    }
    return n;
  }

  /** Writes {@code value} in decimal at {@code at}; returns the index after it. */
  private static int writeDigits(byte[] out, int at, long value) {
    int end = at + digits(value);
    long rest = value;
    if (value < 0) {
      out[at] = '-';
    }
    for (int i = end - 1; i >= at + (value < 0 ? 1 : 0); i--) {
      out[i] = (byte) ('0' + Math.abs(rest % 10));
      rest /= 10;
    }
    return end;
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
