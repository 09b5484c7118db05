package dev.courier.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte scanning shared by the fast paths that read plain frames without Jackson (the broker's
 * {@link PlainInbound}, the client's {@code InboundFrames}), and the ASCII constants the writers
 * ({@link PlainOutbound}, the client's {@code PlainFrames}) are built from. Each scan returns -1
 * where the bytes are not the plain shape, so that the caller hands the frame to the full decoder,
 * which owns every error and every range check.
 */
public final class PlainBytes {
  /** Up to 18 digits always fit a long; a longer number goes to the full decoder, which checks its range. */
  public static final int MAX_FAST_DIGITS = 18;

  private PlainBytes() {}

  /** The end of 1 to {@link #MAX_FAST_DIGITS} digits at {@code p} without a leading zero (JSON has none); else -1. */
  public static int digitsEnd(byte[] b, int p, int to) {
    int q = p;
    while (q < to && b[q] >= '0' && b[q] <= '9') {
      q++;
    }
    int digits = q - p;
    if (digits == 0 || digits > MAX_FAST_DIGITS || digits > 1 && b[p] == '0') {
      return -1;
    }
    return q;
  }

  /** The value of the digits {@link #digitsEnd} found. */
  public static long number(byte[] b, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + (b[i] - '0');
    }
    return n;
  }

  /**
   * The closing quote of a string of printable ASCII without escapes starting at {@code p}; else
   * -1. A control character is bad_json and a byte of a multi-byte character needs the UTF-8
   * check, so both are the full decoder's.
   */
  public static int plainTextEnd(byte[] b, int p, int to) {
    for (int i = p; i < to; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c < 0x20 || c == '\\' || c == 0x7f) { // c < 0 too
        return -1;
      }
    }
    return -1;
  }

  public static boolean startsWith(byte[] b, int at, int to, byte[] prefix) {
    return to - at >= prefix.length && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
