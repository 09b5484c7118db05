package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PayloadTest {
  @Test
  void carriesSequenceAndSendTimePaddedToTheSize() {
    String payload = Payload.encode(123_456, -9_876_543_210L, 100);
    assertEquals(100, payload.length());
    assertEquals(123_456, Payload.sequence(payload));
    assertEquals(-9_876_543_210L, Payload.sendNanos(payload));
  }

  @Test
  void fitsTheLargestValuesInTheMinimumSize() {
    String payload = Payload.encode(Integer.MAX_VALUE, Long.MIN_VALUE, Payload.MIN_BYTES);
    assertEquals(Payload.MIN_BYTES, payload.length(), payload);
    assertEquals(Integer.MAX_VALUE, Payload.sequence(payload));
  }

  @Test
  void writesTheDocumentedTextExactly() {
    assertEquals("17:8234519077123:" + "x".repeat(23), Payload.encode(17, 8_234_519_077_123L, 40));
    assertEquals("0:-5:" + "x".repeat(95), Payload.encode(0, -5, 100));
    assertEquals("-3:" + Long.MIN_VALUE + ":", Payload.encode(-3, Long.MIN_VALUE, 1));
  }

  @Test
  void reportsAForeignPayloadAsMinusOne() {
    assertEquals(-1, Payload.sequence("task-0"));
    assertEquals(-1, Payload.sequence("abc:def:"));
  }
}
