package dev.courier.protocol;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;

/**
 * The frames one side of a connection sends, gathered per event-loop turn and written together:
 * one write, one flush and one future per turn instead of per frame, which is where the time went
 * when the bench profiled the broker. Past {@link #FLUSH_BYTES} the gathered frames go at once.
 * Used on the connection's own event loop only.
 */
public final class OutboundFrames {
  /** Bounds the gathered bytes; also what counts as backed up before the socket itself is. */
  public static final int FLUSH_BYTES = 64 * 1024;

  private final WriteStream<Buffer> socket;
  private final Context loop;
  private final Runnable afterWrite;
  /** Where a turn's buffer comes from and goes back to once written; null: a fresh one each turn. */
  private final TurnBuffers spares;
  /** What a connection's first turn gathers room for: a register's or an ok's few dozen bytes. */
  private static final int FIRST_CAPACITY = 256;

  /*
   * The writer and the buffer live only from a turn's first frame to its flush: an idle connection
   * holding them would keep about 16 KiB of Jackson buffers (docs/BENCH.md, cost per idle thing);
   * between turns they go back to Jackson's per-thread pool and to the garbage collector.
   */
  private FrameCodec.Writer writer;
  private Buffer pending;
  /** The bytes of {@link #pending} itself, which {@link PlainOutbound} writes into without a copy. */
  private ByteBuf pendingBytes;
  private int nextCapacity = FIRST_CAPACITY;
  private Promise<Void> pendingWritten = Promise.promise();
  private boolean flushScheduled;

  /** {@code afterWrite} runs after each write, e.g. to stop reading a peer whose replies back up. */
  public OutboundFrames(WriteStream<Buffer> socket, Context loop, Runnable afterWrite) {
    this(socket, loop, afterWrite, null);
  }

  /**
   * As above, each turn's buffer taken from {@code spares} and given back once its write has
   * succeeded: only for a socket that keeps no reference to what it wrote after that, as a
   * {@code NetSocket} does (Netty copies a heap buffer out before the write completes).
   */
  public OutboundFrames(WriteStream<Buffer> socket, Context loop, Runnable afterWrite, TurnBuffers spares) {
    this.socket = socket;
    this.loop = loop;
    this.afterWrite = afterWrite;
    this.spares = spares;
  }

  /** Queues a frame; the future completes when the write holding it has. */
  public Future<Void> add(Frame frame) {
    Buffer out = pendingBuffer(PlainOutbound.sizeHint(frame));
    if (!PlainOutbound.write(pendingBytes, frame)) {
      if (writer == null) {
        writer = new FrameCodec.Writer();
      }
      writer.write(out, frame);
    }
    return added();
  }

  /** Queues a frame encoded already, e.g. a constant one. */
  public Future<Void> addEncoded(Buffer frame) {
    pendingBuffer(frame.length()).appendBuffer(frame);
    return added();
  }

  /** Writes what is gathered now. */
  public Future<Void> flush() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
    if (pending == null || pending.length() == 0) {
      return Future.succeededFuture();
    }
    Buffer frames = pending;
    ByteBuf bytes = pendingBytes;
    Promise<Void> written = pendingWritten;
    pending = null;
    pendingBytes = null;
    // The next turn likely carries as much as this one: room for it, without regrowing.
    nextCapacity = Math.min(frames.length(), FLUSH_BYTES);
    pendingWritten = Promise.promise();
    Future<Void> write = socket.write(frames);
    if (spares != null) {
      write.onSuccess(v -> spares.giveBack(bytes));
    }
    write.onComplete(written);
    afterWrite.run();
    return written.future();
  }

  /** True while the socket is backed up, counting what is gathered but not yet written. */
  public boolean isBackedUp() {
    return socket.writeQueueFull() || pending != null && pending.length() >= FLUSH_BYTES;
  }

  /**
   * The buffer of this turn, with room for about {@code bytes} more: a turn's first buffer is made
   * big enough for its first frame, so a delivery a little longer than the last turn's does not
   * allocate it twice.
   */
  private Buffer pendingBuffer(int bytes) {
    if (pending == null) {
      // A heap buffer of our own, wrapped without a copy; it grows as appends need.
      pendingBytes = spares != null ? spares.take(bytes) : TurnBuffers.fresh(Math.max(nextCapacity, bytes));
      pending = BufferInternal.buffer(pendingBytes);
    }
    return pending;
  }

  private Future<Void> added() {
    Future<Void> written = pendingWritten.future();
    if (pending.length() >= FLUSH_BYTES) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      loop.runOnContext(v -> {
        flushScheduled = false;
        flush();
      });
    }
    return written;
  }
}
