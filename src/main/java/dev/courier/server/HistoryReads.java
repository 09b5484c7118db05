package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.protocol.Frame;
import java.util.function.BooleanSupplier;

/**
 * A connection's {@code history} reads, one at a time: while one is pending the connection is
 * not read, so a client cannot queue reads on the storage thread. The read is bounded in bytes
 * there, and the reply cut to {@code max_frame_bytes} here ({@link HistoryPage}), in reply order.
 * Used on the connection's event loop only.
 */
final class HistoryReads {
  private final ConnectionContext context;
  private final Broker broker;
  private final PublishReplies replies;
  private final BooleanSupplier closed;
  /** Re-evaluates whether the connection's socket is read; see {@link #isPending()}. */
  private final Runnable updateReading;
  private boolean pending;

  HistoryReads(ConnectionContext context, PublishReplies replies, BooleanSupplier closed, Runnable updateReading) {
    this.context = context;
    this.broker = context.broker();
    this.replies = replies;
    this.closed = closed;
    this.updateReading = updateReading;
  }

  boolean isPending() {
    return pending;
  }

  /** A read the connection's user may make. */
  void read(Frame.History history) {
    int maxFrameBytes = context.config().maxFrameBytes();
    PublishReplies.Slot slot = replies.reserve();
    pending = true;
    broker.history(history.topic(), history.fromId() == null ? -1 : history.fromId(), history.limit(),
        maxFrameBytes, messages -> {
          pending = false;
          if (closed.getAsBoolean()) {
            return;
          }
          replies.answer(slot, HistoryPage.reply(history.topic(), messages, broker.nextId(history.topic()),
              maxFrameBytes));
          updateReading.run();
        });
    // With memory storage the reply went out already and this changes nothing.
    updateReading.run();
  }
}
