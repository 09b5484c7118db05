package dev.courier.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks that a frame body is text Jackson may parse without guessing: well-formed UTF-8 and
 * nothing that decodes to something other than what the bytes say. Jackson on its own accepts
 * overlong forms ({@code C0 AF} becomes {@code /}), encoded surrogates, UTF-16 and UTF-32 (it
 * guesses the encoding from zero bytes) and a byte order mark; PROTOCOL.md says a body is one
 * UTF-8 JSON object, so each of those is {@code bad_json}.
 *
 * <p>What is refused: any byte sequence the JDK's UTF-8 decoder, set to report rather than
 * replace, calls malformed (overlong forms, encoded surrogates, code points above U+10FFFF,
 * truncated sequences, bytes UTF-8 never uses); a NUL byte (JSON has no raw NUL, and a NUL is what
 * makes Jackson guess UTF-16 or UTF-32);
 * plus a leading {@code EF BB BF} (a UTF-8 byte order mark) and a {@code \}{@code u} escape of a
 * surrogate that is not a high one directly followed by an escaped low one: JSON's grammar allows
 * it, but it is not Unicode text, and the clients' serde rejects such strings.
 *
 * <p>Bodies are nearly always ASCII without escapes, so eight bytes are checked at a time until
 * one of them is non-ASCII, a NUL or a backslash; only a body with a non-ASCII byte goes through
 * the decoder.
 */
final class StrictText {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

  private StrictText() {}

  /** Throws {@code bad_json} naming the first offending byte offset. */
  static void check(byte[] b) throws FrameException {
    int n = b.length;
    if (n >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF) {
      throw bad("frame body starts with a byte order mark; send UTF-8 JSON without one");
    }
    int i = 0;
    boolean ascii = true;
    while (i < n) {
      if (i + Long.BYTES <= n && isPlainAscii((long) LONGS.get(b, i))) {
        i += Long.BYTES;
      } else if (b[i] > 0) {
        i = b[i] == '\\' ? afterEscape(b, i) : i + 1;
      } else if (b[i] == 0) {
        throw bad("frame body has a NUL byte at offset " + i + "; bodies are UTF-8 (not UTF-16 or UTF-32) JSON");
      } else {
        ascii = false;
        i++;
      }
    }
    if (!ascii) {
      checkUtf8(b);
    }
  }

  /** Eight bytes with no high bit, no zero byte and no backslash. */
  private static boolean isPlainAscii(long w) {
    long slashes = w ^ BACKSLASHES;
    return ((w | ((w - ONES) & ~w) | ((slashes - ONES) & ~slashes)) & HIGH_BITS) == 0;
  }

  private static void checkUtf8(byte[] b) throws FrameException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b);
    CharBuffer out = CharBuffer.allocate(Math.min(b.length, 4096));
    CoderResult result;
    do {
      out.clear();
      result = decoder.decode(in, out, true);
    } while (result.isOverflow());
    if (result.isError()) {
      throw notUtf8(in.position());
    }
  }

  /**
   * {@code b[i]} is a backslash: skips the escape, refusing an unpaired surrogate. Anything else
   * malformed is left to Jackson, and only an ASCII byte is ever skipped, so no byte escapes the
   * UTF-8 check.
   */
  private static int afterEscape(byte[] b, int i) throws FrameException {
    if (i + 1 >= b.length || b[i + 1] <= 0) {
      return i + 1;
    }
    if (b[i + 1] != 'u') {
      return i + 2;
    }
    int unit = hex4(b, i + 2);
    if (unit < 0) {
      return i + 2;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      throw loneSurrogate(i);
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      int low = i + 11 < b.length && b[i + 6] == '\\' && b[i + 7] == 'u' ? hex4(b, i + 8) : -1;
      if (low < 0xDC00 || low > 0xDFFF) {
        throw loneSurrogate(i);
      }
      return i + 12;
    }
    return i + 6;
  }

  /** The value of four hex digits at {@code at}, or -1. */
  private static int hex4(byte[] b, int at) {
    if (at + 4 > b.length) {
      return -1;
    }
    int value = 0;
    for (int k = at; k < at + 4; k++) {
      int digit = Character.digit(b[k], 16);
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  private static FrameException notUtf8(int offset) {
    return bad("frame body is not UTF-8 at byte offset " + offset
        + " (an invalid, overlong, surrogate or truncated sequence)");
  }

  private static FrameException loneSurrogate(int offset) {
    return bad("frame body has an unpaired surrogate escape (\\ud800-\\udfff) at byte offset " + offset);
  }

  private static FrameException bad(String message) {
    return new FrameException(ErrorCode.BAD_JSON, message);
  }
}
