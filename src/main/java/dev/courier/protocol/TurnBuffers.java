package dev.courier.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.vertx.core.Context;
import java.util.ArrayDeque;

/**
 * Spare buffers for the frames of one event-loop turn, shared by the connections of one event
 * loop: a turn takes one, and its write gives it back once the socket has taken the bytes (the
 * write's future succeeded; a failed write keeps its buffer). At 20,000 msg/s a fresh buffer per
 * turn, sized by the turn before and grown as frames came, was the largest share of the broker's
 * allocation once Jackson was off the hot path (docs/FOOTPRINT.md, "hotpath").
 *
 * <p>Bounded: at most {@link #MAX_SPARES} buffers of at most {@link #MAX_SPARE_BYTES} each are
 * kept (1 MiB a loop at most, a few KiB when the frames are small), and a connection holds none
 * between its turns (docs/BENCH.md, cost per idle thing). A larger turn's buffer is dropped.
 * Used on its event loop only.
 */
public final class TurnBuffers {
  /** About as many as connections whose writes are in progress at once; more only saves a little more garbage. */
  static final int MAX_SPARES = 8;
  /**
   * The largest turn: it is written once past {@link OutboundFrames#FLUSH_BYTES}, so it holds that
   * and one frame more, in a buffer grown by doubling. Smaller, a busy consumer's turns (a commit's
   * worth of deliveries) would grow a small spare and drop it every time.
   */
  static final int MAX_SPARE_BYTES = 2 * OutboundFrames.FLUSH_BYTES;
  /** Room for a few small frames when no spare is left. */
  private static final int MIN_CAPACITY = 256;
  private static final String KEY = TurnBuffers.class.getName();

  private final ArrayDeque<ByteBuf> spares = new ArrayDeque<>();

  /** The spares of {@code loop}, made on first use. */
  public static TurnBuffers of(Context loop) {
    TurnBuffers buffers = loop.get(KEY);
    if (buffers == null) {
      buffers = new TurnBuffers();
      loop.put(KEY, buffers);
    }
    return buffers;
  }

  /** An empty buffer with room for at least {@code bytes}; it grows as appends need. */
  ByteBuf take(int bytes) {
    ByteBuf spare = spares.pollLast();
    if (spare == null) {
      return fresh(bytes);
    }
    spare.clear();
    spare.ensureWritable(bytes);
    return spare;
  }

  /** Gives back a buffer nothing refers to any more. */
  void giveBack(ByteBuf buffer) {
    if (buffer.capacity() <= MAX_SPARE_BYTES && spares.size() < MAX_SPARES) {
      spares.addLast(buffer);
    }
  }

  /** How many are kept now: for tests. */
  int spareCount() {
    return spares.size();
  }

  /** A heap buffer of our own, which a Vert.x buffer wraps without a copy. */
  static ByteBuf fresh(int bytes) {
    return new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, Math.max(bytes, MIN_CAPACITY), Integer.MAX_VALUE);
  }
}
