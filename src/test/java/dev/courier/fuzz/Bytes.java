package dev.courier.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generators of text and bytes, and mutations of bytes, shared by the fuzz tests of every parser:
 * the kinds of damage a hostile peer or a failing disk produces (flipped bits, bytes inserted,
 * deleted, duplicated or cut off, integers overwritten with the values that break bounds checks).
 */
public final class Bytes {
  /** Integers that sit on the edges parsers get wrong. */
  private static final int[] EDGE_INTS = {0, 1, -1, 2, 4, 8, 9, 16, 255, 256, 65535, 65536, Integer.MAX_VALUE,
      Integer.MIN_VALUE, Integer.MAX_VALUE - 7, 0x7ffffff0, 64 * 1024 * 1024, 64 * 1024 * 1024 + 1};
  /** Fragments that mean something to a JSON or UTF-8 reader. */
  private static final List<byte[]> TOKENS = List.of(ascii("{"), ascii("}"), ascii("["), ascii("]"), ascii("\""),
      ascii("\\"), ascii("\\u"), ascii("\\ud800"), ascii("\\udc00"), ascii(","), ascii(":"), ascii("null"),
      ascii("1e999999"), ascii("-"), ascii("18446744073709551616"), ascii("{\"type\":\"publish\"}"),
      new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, new byte[] {(byte) 0xff}, new byte[] {0},
      new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "\u00e9".getBytes(StandardCharsets.UTF_8));

  private Bytes() {}

  public static byte[] random(SplittableRandom random, int maxLength) {
    byte[] bytes = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  public static int edgeInt(SplittableRandom random) {
    return random.nextInt(3) == 0 ? random.nextInt() : EDGE_INTS[random.nextInt(EDGE_INTS.length)];
  }

  /**
   * Text of up to {@code maxChars} UTF-16 units, mixing ASCII, control characters, quotes,
   * backslashes and every UTF-8 length, but never a lone surrogate (which no valid input holds).
   */
  public static String text(SplittableRandom random, int maxChars) {
    int length = random.nextInt(maxChars + 1);
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      int codePoint = switch (random.nextInt(10)) {
        case 0, 1, 2, 3, 4 -> 0x20 + random.nextInt(0x5f);
        case 5 -> random.nextInt(0x20);
        case 6 -> random.nextBoolean() ? '"' : '\\';
        case 7 -> 0x80 + random.nextInt(0x780);
        case 8 -> {
          int c = 0x800 + random.nextInt(0xf800);
          yield c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
        }
        default -> 0x10000 + random.nextInt(0x100000);
      };
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  /** One to four mutations of {@code input}; never the same array. */
  public static byte[] mutate(SplittableRandom random, byte[] input) {
    byte[] bytes = input.clone();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      bytes = mutateOnce(random, bytes);
    }
    return bytes;
  }

  private static byte[] mutateOnce(SplittableRandom random, byte[] in) {
    int at = random.nextInt(in.length + 1);
    int kind = random.nextInt(8);
    if (in.length == 0 && kind != 1 && kind != 4) {
      kind = 1;
    }
    return switch (kind) {
      case 0 -> { // flip one to eight bits of one byte
        byte[] out = in.clone();
        out[Math.min(at, in.length - 1)] ^= (byte) (1 + random.nextInt(255));
        yield out;
      }
      case 1 -> splice(in, at, 0, random(random, 8));
      case 2 -> splice(in, at, random.nextInt(Math.min(16, in.length - Math.min(at, in.length)) + 1), new byte[0]);
      case 3 -> { // overwrite four bytes with an edge integer, big-endian as every length here is
        byte[] out = in.clone();
        int value = edgeInt(random);
        for (int b = 0; b < 4 && at + b < out.length; b++) {
          out[at + b] = (byte) (value >>> (24 - 8 * b));
        }
        yield out;
      }
      case 4 -> splice(in, at, 0, TOKENS.get(random.nextInt(TOKENS.size())));
      case 5 -> { // duplicate a range
        int from = random.nextInt(in.length);
        int length = 1 + random.nextInt(Math.min(32, in.length - from));
        byte[] copy = new byte[length];
        System.arraycopy(in, from, copy, 0, length);
        yield splice(in, at, 0, copy);
      }
      case 6 -> splice(in, at, in.length - at, new byte[0]); // cut off
      default -> {
        byte[] out = in.clone();
        out[Math.min(at, in.length - 1)] = (byte) random.nextInt(256);
        yield out;
      }
    };
  }

  /** {@code in} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
  public static byte[] splice(byte[] in, int at, int removed, byte[] inserted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + inserted.length);
    out.write(in, 0, at);
    out.write(inserted, 0, inserted.length);
    out.write(in, at + removed, in.length - at - removed);
    return out.toByteArray();
  }

  /** Cuts {@code bytes} into chunks of random sizes: mostly small, so every boundary gets split. */
  public static List<byte[]> chunks(SplittableRandom random, byte[] bytes) {
    List<byte[]> chunks = new ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      int size = random.nextInt(4) == 0 ? 1 + random.nextInt(bytes.length) : 1 + random.nextInt(12);
      size = Math.min(size, bytes.length - at);
      byte[] chunk = new byte[size];
      System.arraycopy(bytes, at, chunk, 0, size);
      chunks.add(chunk);
      at += size;
    }
    return chunks;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
