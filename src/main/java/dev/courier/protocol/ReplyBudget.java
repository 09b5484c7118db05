package dev.courier.protocol;

/**
 * Fills one {@code stats_reply} or {@code history_reply} up to {@code max_frame_bytes} of encoded
 * body, measuring each entry as it is offered, so that a page is built only as far as it goes.
 *
 * <p>The rule of {@code docs/PROTOCOL.md}: an entry is taken while the reply, with it, stays within
 * the limit; the first entry is always taken, so every page moves its cursor on. Only a reply whose
 * single entry is alone too large can therefore exceed the limit.
 */
public final class ReplyBudget {
  private final long maxBytes;
  private final long fixedBytes;
  private long entryBytes;
  private int entries;

  private ReplyBudget(long maxBytes, long fixedBytes) {
    this.maxBytes = maxBytes;
    this.fixedBytes = fixedBytes;
  }

  /**
   * For a stats page: {@code emptyPage} is the snapshot with no topics and an empty {@code next}
   * (the rest of the reply, whose size is known before any topic is added).
   */
  public static ReplyBudget forStats(Object emptyPage, int maxFrameBytes) {
    return new ReplyBudget(maxFrameBytes, bodyBytes(new Frame.StatsReply(emptyPage)));
  }

  /** For a history page of {@code topic}; the envelope is sized with the largest possible next_id. */
  public static ReplyBudget forHistory(String topic, int maxFrameBytes) {
    return new ReplyBudget(maxFrameBytes,
        bodyBytes(new Frame.HistoryReply(topic, java.util.List.of(), Long.MAX_VALUE)));
  }

  /**
   * Takes one more topic if the page still holds it; {@code name} may become the reply's
   * {@code next}, so its bytes are counted too.
   */
  public boolean tryAddTopic(Object topicStats, String name) {
    // The page's next, when present, is the name of its last topic: reserve it with each candidate.
    long nextBytes = FrameEncoding.nameBytes(name);
    return tryAdd(FrameEncoding.snapshotValueBytes(topicStats), nextBytes);
  }

  /** Takes one more message if the page still holds it. */
  public boolean tryAddMessage(Frame.HistoryMessage message) {
    return tryAdd(FrameEncoding.historyMessageBytes(message), 0);
  }

  private boolean tryAdd(long bytes, long reserveBytes) {
    long withSeparator = entries == 0 ? bytes : bytes + 1;
    if (entries > 0 && fixedBytes + entryBytes + withSeparator + reserveBytes > maxBytes) {
      return false;
    }
    entries++;
    entryBytes += withSeparator;
    return true;
  }

  private static long bodyBytes(Frame frame) {
    return FrameCodec.encode(frame).length() - FrameCodec.LENGTH_PREFIX_BYTES;
  }
}
