package dev.courier.server;

import dev.courier.core.Message;
import dev.courier.protocol.Frame;
import dev.courier.protocol.ReplyBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts what a history read returned to one {@code history_reply} of at most {@code max_frame_bytes}
 * (its first message always goes, see {@code docs/PROTOCOL.md}) and says where the next page starts.
 */
final class HistoryPage {
  private HistoryPage() {}

  /**
   * {@code endId} is the topic's next id: a message may exist at any id below it, so the reply
   * points there unless its last message is the topic's last.
   */
  static Frame.HistoryReply reply(String topic, List<Message> read, long endId, int maxFrameBytes) {
    ReplyBudget budget = ReplyBudget.forHistory(topic, maxFrameBytes);
    List<Frame.HistoryMessage> page = new ArrayList<>(read.size());
    for (Message m : read) {
      Frame.HistoryMessage entry = new Frame.HistoryMessage(m.id(), m.payload(), m.timestampMillis(), m.key(),
          m.headers(), m.base64() ? Frame.Encoding.BASE64 : null);
      if (!budget.tryAddMessage(entry)) {
        break;
      }
      page.add(entry);
    }
    Long nextId = null;
    if (!page.isEmpty() && page.get(page.size() - 1).id() + 1 < endId) {
      nextId = page.get(page.size() - 1).id() + 1;
    }
    return new Frame.HistoryReply(topic, page, nextId);
  }
}
