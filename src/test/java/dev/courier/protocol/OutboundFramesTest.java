package dev.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link OutboundFrames} against a recording socket: one write per event-loop turn, an early write
 * past {@link OutboundFrames#FLUSH_BYTES}, and each frame's future tied to the write holding it.
 * Everything runs on one context, as in a connection.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class OutboundFramesTest {
  private static final Buffer OK = FrameCodec.encode(Frame.Ok.INSTANCE);

  private Context context;
  private RecordingSocket socket;
  private int afterWrites;
  private OutboundFrames outbound;

  @BeforeEach
  void setUp(Vertx vertx) {
    context = vertx.getOrCreateContext();
    socket = new RecordingSocket();
    outbound = new OutboundFrames(socket, context, () -> afterWrites++);
  }

  @Test
  void framesOfOneTurnGoOutInOneWriteInOrderAndTheNextTurnInAnother(VertxTestContext testContext) {
    context.runOnContext(v -> {
      Future<Void> first = outbound.add(new Frame.Message(1, "a"));
      Future<Void> second = outbound.addEncoded(OK);
      testContext.verify(() -> assertEquals(0, socket.writes.size(), "nothing is written before the turn ends"));
      Future.all(first, second).compose(x -> {
        testContext.verify(() -> {
          assertEquals(1, socket.writes.size());
          assertEquals(FrameCodec.encode(new Frame.Message(1, "a")).appendBuffer(OK), socket.writes.get(0));
        });
        return outbound.add(new Frame.Ack(2));
      }).onComplete(testContext.succeeding(x -> testContext.verify(() -> {
        assertEquals(2, socket.writes.size());
        assertEquals(FrameCodec.encode(new Frame.Ack(2)), socket.writes.get(1));
        testContext.completeNow();
      })));
    });
  }

  @Test
  void gatheredFramesAreWrittenAtOnceWhenTheyReachFlushBytes(VertxTestContext testContext) {
    context.runOnContext(v -> testContext.verify(() -> {
      String payload = "x".repeat(OutboundFrames.FLUSH_BYTES / 4);
      int added = 0;
      while (socket.writes.isEmpty()) {
        outbound.add(new Frame.Message(++added, payload));
        assertTrue(added <= 5, "still nothing written after " + added + " frames of " + payload.length() + " bytes");
      }
      assertEquals(4, added, "the fourth quarter reaches FLUSH_BYTES");
      assertTrue(socket.writes.get(0).length() >= OutboundFrames.FLUSH_BYTES);
      assertEquals(1, afterWrites, "afterWrite ran once, right after the write");
      assertFalse(outbound.isBackedUp(), "what was gathered has gone to the socket");
      testContext.completeNow();
    }));
  }

  @Test
  void aFailedWriteFailsTheFutureOfEveryFrameInIt(VertxTestContext testContext) {
    socket.failWrites = true;
    context.runOnContext(v -> {
      Future<Void> first = outbound.add(Frame.Ok.INSTANCE);
      Future<Void> second = outbound.add(new Frame.Ack(1));
      first.onComplete(testContext.failing(e -> testContext.verify(() -> {
        assertSame(RecordingSocket.FAILURE, e);
        second.onComplete(testContext.failing(e2 -> testContext.verify(() -> {
          assertSame(RecordingSocket.FAILURE, e2);
          testContext.completeNow();
        })));
      })));
    });
  }

  @Test
  void isBackedUpFollowsTheSocketsWriteQueue(VertxTestContext testContext) {
    context.runOnContext(v -> testContext.verify(() -> {
      assertFalse(outbound.isBackedUp());
      socket.full = true;
      assertTrue(outbound.isBackedUp());
      socket.full = false;
      assertFalse(outbound.isBackedUp());
      testContext.completeNow();
    }));
  }

  @Test
  void flushWithNothingGatheredWritesNothing(VertxTestContext testContext) {
    context.runOnContext(v -> outbound.flush().onComplete(testContext.succeeding(x -> testContext.verify(() -> {
      assertEquals(0, socket.writes.size());
      assertEquals(0, afterWrites, "afterWrite runs only after a write");
      testContext.completeNow();
    }))));
  }

  /** A socket that keeps a copy of every write and completes it at once. */
  private static final class RecordingSocket implements WriteStream<Buffer> {
    static final RuntimeException FAILURE = new RuntimeException("connection reset (test)");
    final List<Buffer> writes = new ArrayList<>();
    boolean full;
    boolean failWrites;

    @Override
    public Future<Void> write(Buffer data) {
      writes.add(data.copy());
      return failWrites ? Future.failedFuture(FAILURE) : Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return full;
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
