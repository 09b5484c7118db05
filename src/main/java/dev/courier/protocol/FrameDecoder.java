package dev.courier.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.streams.ReadStream;

/**
 * Splits a byte stream into frames with a {@link RecordParser}: a 4-byte record for the length,
 * then a record of that length for the body, and back. The length is checked before the parser
 * is switched to it, so a hostile prefix such as {@code 0x7ffffff0} allocates nothing.
 *
 * <p>After a fatal error the decoder ignores the rest of the stream: the peer is about to be
 * disconnected and nothing it sends after a framing error can be trusted. Recoverable errors
 * (an unknown type, a missing field) leave the stream in sync, so decoding goes on.
 *
 * <p>A decoder accepts only the frame types a client may send unless it is made with
 * {@link FrameCodec.Accept#ANY}: the safe default is the broker's side.
 */
public final class FrameDecoder {

  /** What the decoder reports; called on the thread that feeds it. */
  public interface Listener {
    void onFrame(Frame frame);

    void onInvalidFrame(FrameException error);

    /** The stream ended inside a frame; {@code received} of {@code expected} bytes arrived. */
    void onTruncated(int received, int expected);
  }

  private enum State { LENGTH, BODY, FAILED }

  private final RecordParser parser;
  private final int maxFrameBytes;
  private final Listener listener;
  private final FrameCodec.Accept accept;
  private State state = State.LENGTH;
  private int expectedBodyBytes;
  // Only a detached decoder needs these: a socket-fed parser reports its own partial tail.
  private long fedBytes;
  private long consumedBytes;

  private FrameDecoder(ReadStream<Buffer> source, int maxFrameBytes, FrameCodec.Accept accept, Listener listener) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
    this.listener = listener;
    this.accept = accept;
    this.parser = source == null
        ? RecordParser.newFixed(FrameCodec.LENGTH_PREFIX_BYTES)
        : RecordParser.newFixed(FrameCodec.LENGTH_PREFIX_BYTES, source);
    this.parser.handler(this::onRecord);
  }

  /**
   * A decoder of client frames that reads from {@code source}, e.g. a socket, and takes over its
   * data handlers.
   */
  public static FrameDecoder reading(ReadStream<Buffer> source, int maxFrameBytes, Listener listener) {
    return reading(source, maxFrameBytes, FrameCodec.Accept.FROM_CLIENTS, listener);
  }

  /** As {@link #reading(ReadStream, int, Listener)}, accepting the frame types {@code accept} allows. */
  public static FrameDecoder reading(ReadStream<Buffer> source, int maxFrameBytes, FrameCodec.Accept accept,
      Listener listener) {
    return new FrameDecoder(source, maxFrameBytes, accept, listener);
  }

  /** A decoder of client frames fed by hand through {@link #feed} and {@link #end}. */
  public static FrameDecoder detached(int maxFrameBytes, Listener listener) {
    return detached(maxFrameBytes, FrameCodec.Accept.FROM_CLIENTS, listener);
  }

  /** As {@link #detached(int, Listener)}, accepting the frame types {@code accept} allows. */
  public static FrameDecoder detached(int maxFrameBytes, FrameCodec.Accept accept, Listener listener) {
    return new FrameDecoder(null, maxFrameBytes, accept, listener);
  }

  public void feed(Buffer bytes) {
    fedBytes += bytes.length();
    parser.handle(bytes);
  }

  /** For a detached decoder: the stream ended; a partial frame is reported as truncated. */
  public void end() {
    int partial = (int) (fedBytes - consumedBytes);
    if (state != State.FAILED && (state == State.BODY || partial > 0)) {
      reportTruncation(partial);
    }
  }

  /** Stops delivering frames (back-pressure); bytes stay buffered in the parser or the socket. */
  public void pause() {
    parser.pause();
  }

  public void resume() {
    parser.resume();
  }

  private void onRecord(Buffer record) {
    consumedBytes += record.length();
    if (state == State.FAILED) {
      return;
    }
    if (state == State.LENGTH) {
      if (record.length() < FrameCodec.LENGTH_PREFIX_BYTES) {
        reportTruncation(record.length());
        return;
      }
      onLength(record.getUnsignedInt(0));
    } else {
      if (record.length() < expectedBodyBytes) {
        reportTruncation(record.length());
        return;
      }
      state = State.LENGTH;
      parser.fixedSizeMode(FrameCodec.LENGTH_PREFIX_BYTES);
      onBody(record);
    }
  }

  private void onLength(long length) {
    if (length == 0) {
      fail(new FrameException(ErrorCode.EMPTY_FRAME, "frame length is 0; every frame needs a JSON body"));
    } else if (length > maxFrameBytes) {
      fail(new FrameException(ErrorCode.FRAME_TOO_LARGE,
          "frame length " + length + " exceeds the limit of " + maxFrameBytes + " bytes"));
    } else {
      expectedBodyBytes = (int) length;
      state = State.BODY;
      parser.fixedSizeMode(expectedBodyBytes);
    }
  }

  private void onBody(Buffer body) {
    Frame frame;
    try {
      frame = FrameCodec.decode(body, accept);
    } catch (FrameException e) {
      if (e.code().isFatal()) {
        fail(e);
      } else {
        listener.onInvalidFrame(e);
      }
      return;
    }
    listener.onFrame(frame);
  }

  private void fail(FrameException error) {
    state = State.FAILED;
    listener.onInvalidFrame(error);
  }

  private void reportTruncation(int received) {
    int expected = state == State.BODY ? expectedBodyBytes : FrameCodec.LENGTH_PREFIX_BYTES;
    state = State.FAILED;
    listener.onTruncated(received, expected);
  }
}
