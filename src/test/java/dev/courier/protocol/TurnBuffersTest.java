package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TurnBuffers} with {@link OutboundFrames}: a turn's buffer is used again only after its
 * write succeeded, never while a write may still read it, and the spares stay bounded.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class TurnBuffersTest {

  @Test
  void aTurnsBufferIsUsedAgainOnlyAfterItsWriteSucceeded(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> testContext.verify(() -> {
      TurnBuffers spares = TurnBuffers.of(context);
      assertSame(spares, TurnBuffers.of(context), "one set of spares per event loop");
      DeferredSocket socket = new DeferredSocket();
      OutboundFrames outbound = new OutboundFrames(socket, context, () -> { }, spares);

      outbound.add(new Frame.Message(1, "first"));
      outbound.flush();
      outbound.add(new Frame.Message(2, "second"));
      outbound.flush();
      assertEquals(0, spares.spareCount(), "nothing comes back while its write is in progress");
      assertEquals(FrameCodec.encode(new Frame.Message(1, "first")), socket.writes.get(0),
          "the second turn wrote into a buffer of its own");

      socket.completions.get(0).complete();
      assertEquals(1, spares.spareCount());
      socket.completions.get(1).fail("connection reset (test)");
      assertEquals(1, spares.spareCount(), "a failed write keeps its buffer");

      outbound.add(Frame.Ok.INSTANCE);
      outbound.flush();
      assertEquals(0, spares.spareCount(), "the third turn took the spare");
      assertEquals(FrameCodec.encode(Frame.Ok.INSTANCE), socket.writes.get(2));
      assertEquals(FrameCodec.encode(new Frame.Message(2, "second")), socket.writes.get(1),
          "the failed write's bytes were not reused");
      testContext.completeNow();
    }));
  }

  @Test
  void keepsAtMostMaxSparesAndNoneLargerThanMaxSpareBytes() {
    TurnBuffers spares = new TurnBuffers();
    ByteBuf large = TurnBuffers.fresh(TurnBuffers.MAX_SPARE_BYTES + 1);
    spares.giveBack(large);
    assertEquals(0, spares.spareCount());
    for (int i = 0; i < TurnBuffers.MAX_SPARES + 5; i++) {
      spares.giveBack(TurnBuffers.fresh(100));
    }
    assertEquals(TurnBuffers.MAX_SPARES, spares.spareCount());
    ByteBuf taken = spares.take(10_000);
    assertEquals(0, taken.readableBytes(), "a spare comes back empty");
    assertEquals(true, taken.writableBytes() >= 10_000, "with the room asked for");
    assertNotSame(large, taken);
  }

  /**
   * A socket whose writes complete when the test says. It keeps each written buffer itself, not a
   * copy, so a buffer used again too early would show in the bytes of an earlier write.
   */
  private static final class DeferredSocket implements WriteStream<Buffer> {
    final List<Buffer> writes = new ArrayList<>();
    final List<Promise<Void>> completions = new ArrayList<>();

    @Override
    public Future<Void> write(Buffer data) {
      writes.add(data);
      Promise<Void> done = Promise.promise();
      completions.add(done);
      return done.future();
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> end() {
      return Promise.<Void>promise().future();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
