package dev.courier.protocol;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeUnit;

/**
 * Splits a byte stream into frames with a {@link RecordParser}: a 4-byte record for the length,
 * then a record of that length for the body, and back. The length is checked before the parser
 * is switched to it, so a hostile prefix such as {@code 0x7ffffff0} allocates nothing.
 *
 * <pre>
 *   LENGTH ──prefix, body already read──────────────────────────────▶ BODY ──body──▶ LENGTH
 *      │                                                               ▲
 *      └──prefix──▶ reserve(length) in the {@link FrameBudget} ──held──┘
 *                        │ budget used up: stop reading
 *                        └──▶ AWAITING_BUDGET ──granted──▶ BODY
 * </pre>
 *
 * <p>Memory: while a body is incomplete the parser holds the bytes received so far in one buffer
 * that grows by appending (capacity doubling), so a body of n bytes can occupy up to about 2n;
 * that is what the budget bounds, frame by frame. A body whose bytes arrived with its prefix is
 * already in memory and decoded at once, so it reserves nothing: the hot path of small pipelined
 * frames never touches the budget.
 *
 * <p>The decoder is fed by hand, also from a socket, so that it knows how many bytes the parser
 * holds, and pauses the socket itself: while its owner paused it ({@link #pause}) or while it
 * waits for budget.
 *
 * <p>After a fatal error the decoder ignores the rest of the stream and drops what it buffered:
 * the peer is about to be disconnected and nothing it sends after a framing error can be trusted.
 * Recoverable errors (an unknown type, a missing field) leave the stream in sync, so decoding goes on.
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

  private enum State { LENGTH, AWAITING_BUDGET, BODY, FAILED }

  private final ReadStream<Buffer> source;
  /** Dropped after a fatal error so that a partial body is not kept for a dying connection. */
  private RecordParser parser;
  private final int maxFrameBytes;
  private final FrameBudget budget;
  private final Listener listener;
  private final FrameBudget.Claimant claim = new Claim();
  private final FrameCodec.Accept accept;
  private final PlainInbound plain = new PlainInbound();
  private State state = State.LENGTH;
  private int expectedBodyBytes;
  /** True while the budget knows this decoder, holding or waiting: only then is there anything to give back. */
  private boolean claimed;
  private boolean pausedByOwner;
  private boolean reading = true;
  private long fedBytes;
  private long consumedBytes;

  private FrameDecoder(ReadStream<Buffer> source, int maxFrameBytes, FrameBudget budget, FrameCodec.Accept accept,
      Listener listener) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
    }
    if (maxFrameBytes > budget.capacityBytes()) {
      throw new IllegalArgumentException("a budget of " + budget.capacityBytes()
          + " bytes can never hold a frame of maxFrameBytes " + maxFrameBytes);
    }
    this.source = source;
    this.maxFrameBytes = maxFrameBytes;
    this.budget = budget;
    this.listener = listener;
    this.accept = accept;
    this.parser = RecordParser.newFixed(FrameCodec.LENGTH_PREFIX_BYTES);
    this.parser.handler(this::onRecord);
    if (source != null) {
      source.handler(this::feed);
      source.endHandler(v -> end());
    }
  }

  /**
   * A decoder of client frames that reads from {@code source}, e.g. a socket, and takes over its
   * data and end handlers; bodies in progress are reserved in {@code budget}.
   */
  public static FrameDecoder reading(ReadStream<Buffer> source, int maxFrameBytes, FrameBudget budget,
      Listener listener) {
    return new FrameDecoder(source, maxFrameBytes, budget, FrameCodec.Accept.FROM_CLIENTS, listener);
  }

  /** A decoder of client frames with a budget of its own that nothing exhausts. */
  public static FrameDecoder reading(ReadStream<Buffer> source, int maxFrameBytes, Listener listener) {
    return reading(source, maxFrameBytes, FrameCodec.Accept.FROM_CLIENTS, listener);
  }

  /** Accepting the frame types {@code accept} allows, e.g. a client reading its broker; no budget limit. */
  public static FrameDecoder reading(ReadStream<Buffer> source, int maxFrameBytes, FrameCodec.Accept accept,
      Listener listener) {
    return new FrameDecoder(source, maxFrameBytes, FrameBudget.unlimited(), accept, listener);
  }

  /** A decoder of client frames fed by hand through {@link #feed} and {@link #end}. */
  public static FrameDecoder detached(int maxFrameBytes, FrameBudget budget, Listener listener) {
    return new FrameDecoder(null, maxFrameBytes, budget, FrameCodec.Accept.FROM_CLIENTS, listener);
  }

  /** A detached decoder of client frames with a budget of its own that nothing exhausts. */
  public static FrameDecoder detached(int maxFrameBytes, Listener listener) {
    return detached(maxFrameBytes, FrameCodec.Accept.FROM_CLIENTS, listener);
  }

  /** As {@link #detached(int, Listener)}, accepting the frame types {@code accept} allows. */
  public static FrameDecoder detached(int maxFrameBytes, FrameCodec.Accept accept, Listener listener) {
    return new FrameDecoder(null, maxFrameBytes, FrameBudget.unlimited(), accept, listener);
  }

  public void feed(Buffer bytes) {
    if (state == State.FAILED) {
      return;
    }
    boolean parserEmpty = fedBytes == consumedBytes;
    fedBytes += bytes.length();
    if (parserEmpty && state == State.LENGTH && reading) {
      int used = decodeWholeFrames(bytes);
      if (used == bytes.length() || state == State.FAILED) {
        return;
      }
      bytes = used == 0 ? bytes : bytes.slice(used, bytes.length());
    }
    parser.handle(bytes);
  }

  /**
   * Decodes the frames that arrived whole in {@code bytes} straight from it while the parser holds
   * nothing, and returns how many bytes they took; the rest (a frame begun, a bad length, or
   * everything after a frame that paused the decoder) goes to the parser as before. The parser
   * copies each record out of its own copy of the read: for the small pipelined frames of a busy
   * producer or consumer that was a fifth of the broker's allocation (docs/FOOTPRINT.md, "hotpath").
   */
  private int decodeWholeFrames(Buffer bytes) {
    int length = bytes.length();
    int base;
    byte[] array;
    ByteBuf buf = bytes instanceof BufferInternal internal ? internal.getByteBuf() : null;
    if (buf != null && buf.hasArray()) {
      array = buf.array();
      base = buf.arrayOffset() + buf.readerIndex();
    } else {
      array = bytes.getBytes();
      base = 0;
    }
    int pos = 0;
    while (state == State.LENGTH && reading && length - pos >= FrameCodec.LENGTH_PREFIX_BYTES) {
      int at = base + pos;
      long bodyBytes = (array[at] & 0xffL) << 24 | (array[at + 1] & 0xff) << 16 | (array[at + 2] & 0xff) << 8
          | (array[at + 3] & 0xff);
      if (bodyBytes == 0 || bodyBytes > maxFrameBytes || length - pos - FrameCodec.LENGTH_PREFIX_BYTES < bodyBytes) {
        break; // the parser's path checks the length and waits for the rest
      }
      int from = pos + FrameCodec.LENGTH_PREFIX_BYTES;
      pos = from + (int) bodyBytes;
      consumedBytes += FrameCodec.LENGTH_PREFIX_BYTES + bodyBytes;
      decode(array, base + from, base + pos, bytes, from);
    }
    return pos;
  }

  /** The stream ended; a partial frame is reported as truncated. */
  public void end() {
    int partial = (int) (fedBytes - consumedBytes);
    if (state != State.FAILED && (state != State.LENGTH || partial > 0)) {
      reportTruncation(partial);
    }
  }

  /**
   * The connection is gone: gives back the budget this decoder holds or waits for (exactly once,
   * whichever of body, deadline or close comes first) and decodes nothing more.
   */
  public void close() {
    if (state != State.FAILED) {
      state = State.FAILED;
      dropBuffered();
    }
    giveBackBudget();
  }

  /** Stops delivering frames (back-pressure); bytes stay buffered in the parser or the socket. */
  public void pause() {
    pausedByOwner = true;
    updateFlow();
  }

  /** Delivers frames again, unless the decoder still waits for budget. */
  public void resume() {
    pausedByOwner = false;
    updateFlow();
  }

  /** True while a body has begun but not arrived whole (waiting for budget or for bytes). */
  public boolean isMidFrame() {
    return state == State.BODY || state == State.AWAITING_BUDGET;
  }

  private void updateFlow() {
    boolean read = !pausedByOwner && state != State.AWAITING_BUDGET;
    if (read == reading) {
      return;
    }
    reading = read;
    if (read) {
      // The parser first hands out what it holds; a frame among them may pause us again.
      if (parser != null) {
        parser.resume();
      }
      if (reading && source != null) {
        source.resume();
      }
    } else {
      if (parser != null) {
        parser.pause();
      }
      if (source != null) {
        source.pause();
      }
    }
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
      giveBackBudget();
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
      parser.fixedSizeMode(expectedBodyBytes);
      if (fedBytes - consumedBytes >= length) {
        // Already read whole with its prefix: nothing more to buffer, so nothing to reserve.
        state = State.BODY;
        return;
      }
      claimed = true;
      if (budget.reserve(claim, expectedBodyBytes)) {
        state = State.BODY;
      } else {
        state = State.AWAITING_BUDGET;
        updateFlow();
      }
    }
  }

  private void onBody(Buffer body) {
    ByteBuf buf = body instanceof BufferInternal internal ? internal.getByteBuf() : null;
    if (buf != null && buf.hasArray()) {
      int from = buf.arrayOffset() + buf.readerIndex();
      decode(buf.array(), from, from + buf.readableBytes(), body, 0);
    } else {
      decode(body.getBytes(), 0, body.length(), body, 0);
    }
  }

  /**
   * The body {@code array[from, to)}, which is also {@code source} from {@code sourceFrom} on:
   * the plain path reads the array, the full decoder a slice of the buffer.
   */
  private void decode(byte[] array, int from, int to, Buffer source, int sourceFrom) {
    Frame frame = plain.read(array, from, to);
    if (frame != null) {
      listener.onFrame(frame);
      return;
    }
    try {
      frame = FrameCodec.decode(source.slice(sourceFrom, sourceFrom + to - from), accept);
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
    dropBuffered();
    giveBackBudget();
    listener.onInvalidFrame(error);
  }

  private void reportTruncation(int received) {
    int expected = isMidFrame() ? expectedBodyBytes : FrameCodec.LENGTH_PREFIX_BYTES;
    state = State.FAILED;
    dropBuffered();
    giveBackBudget();
    listener.onTruncated(received, expected);
  }

  private void dropBuffered() {
    if (parser != null) {
      parser.pause();
      parser = null;
    }
  }

  private void giveBackBudget() {
    if (claimed) {
      claimed = false;
      budget.release(claim);
    }
  }

  /** The decoder's side of its budget claim; private so that only the budget calls it. */
  private final class Claim implements FrameBudget.Claimant {
    @Override
    public void granted() {
      if (state == State.AWAITING_BUDGET) {
        state = State.BODY;
        updateFlow();
      }
    }

    @Override
    public void timedOut(long sinceRequestNanos) {
      claimed = false;
      long millis = TimeUnit.NANOSECONDS.toMillis(sinceRequestNanos);
      if (state == State.BODY) {
        long received = fedBytes - consumedBytes;
        fail(new FrameException(ErrorCode.FRAME_TIMEOUT, "frame body incomplete after " + millis + " ms: "
            + received + " of " + expectedBodyBytes + " bytes arrived"));
      } else if (state == State.AWAITING_BUDGET) {
        fail(new FrameException(ErrorCode.FRAME_TIMEOUT, "frame of " + expectedBodyBytes + " bytes not received within "
            + millis + " ms: the broker's buffer for frames in progress (max_buffered_frame_bytes) stayed full"));
      }
    }
  }
}
