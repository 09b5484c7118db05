package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.protocol.Frame;
import dev.courier.security.Permission;
import java.util.function.BiPredicate;

/**
 * One connection's stats, redrive and history frames: they read or move a topic's messages for
 * whoever holds the permission, whatever role the connection registered as. Kept apart from
 * {@link Connection}, which owns the state machine; this only answers in the connection's reply
 * order. On the broker's event loop.
 */
final class OperatorFrames {
  private final ConnectionContext context;
  private final Broker broker;
  private final PublishReplies replies;
  private final HistoryReads histories;
  /** The connection's check: true when it refused (and answered, or closed, as the refusal says). */
  private final BiPredicate<Permission, String> refuses;

  OperatorFrames(ConnectionContext context, PublishReplies replies, HistoryReads histories,
      BiPredicate<Permission, String> refuses) {
    this.context = context;
    this.broker = context.broker();
    this.replies = replies;
    this.histories = histories;
    this.refuses = refuses;
  }

  static boolean handles(Frame frame) {
    return frame instanceof Frame.Stats || frame instanceof Frame.Redrive || frame instanceof Frame.History;
  }

  void handle(Frame frame) {
    if (frame instanceof Frame.Stats stats) {
      if (!refuses.test(Permission.ADMIN, null)) {
        replies.answerWhenDue(() -> new Frame.StatsReply(context.statsPage().apply(stats)));
      }
    } else if (frame instanceof Frame.Redrive redrive) {
      // Who may redrive: admin of the dead-letter topic (anyone where users are not configured).
      if (!refuses.test(Permission.ADMIN, redrive.topic())) {
        PublishReplies.Slot slot = replies.reserve();
        broker.redrive(redrive.topic(), redrive.limit() == null ? Integer.MAX_VALUE : redrive.limit(),
            moved -> replies.answer(slot, new Frame.RedriveReply(moved)));
      }
    } else if (frame instanceof Frame.History history) {
      if (!refuses.test(Permission.CONSUME, history.topic())) {
        histories.read(history);
      }
    }
  }
}
