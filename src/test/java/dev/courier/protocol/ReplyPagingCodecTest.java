package dev.courier.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paging fields of stats and history, and the budget that keeps their replies within a frame. */
class ReplyPagingCodecTest {

  private static Frame decode(String json) throws FrameException {
    return FrameCodec.decode(Buffer.buffer(json.getBytes(UTF_8)));
  }

  private static int bodyBytes(Frame frame) {
    return FrameCodec.encode(frame).length() - FrameCodec.LENGTH_PREFIX_BYTES;
  }

  private static String bodyOf(Frame frame) {
    return FrameCodec.encode(frame).getString(FrameCodec.LENGTH_PREFIX_BYTES, FrameCodec.encode(frame).length(), "UTF-8");
  }

  @Test
  void aBareStatsAsksForTheFirstPageWithNoCountLimit() throws FrameException {
    assertEquals(new Frame.Stats(null, Frame.Stats.NO_LIMIT), decode("{\"type\":\"stats\"}"));
    assertEquals("{\"type\":\"stats\"}", bodyOf(new Frame.Stats()));
  }

  @Test
  void statsCarriesItsCursorAndLimitBothWays() throws FrameException {
    Frame.Stats stats = new Frame.Stats("orders", 50);
    assertEquals("{\"type\":\"stats\",\"after\":\"orders\",\"limit\":50}", bodyOf(stats));
    assertEquals(stats, decode(bodyOf(stats)));
  }

  @Test
  void aStatsLimitOfZeroOrACursorThatIsNoNameIsRefused() {
    FrameException zero = assertThrows(FrameException.class, () -> decode("{\"type\":\"stats\",\"limit\":0}"));
    assertEquals(ErrorCode.BAD_REQUEST, zero.code());
    FrameException negative = assertThrows(FrameException.class, () -> decode("{\"type\":\"stats\",\"limit\":-1}"));
    assertEquals(ErrorCode.BAD_REQUEST, negative.code());
    FrameException cursor = assertThrows(FrameException.class, () -> decode("{\"type\":\"stats\",\"after\":\"a/b\"}"));
    assertEquals(ErrorCode.INVALID_NAME, cursor.code());
  }

  @Test
  void aHistoryReplyCarriesNextIdOnlyWhenMoreFollow() throws FrameException {
    List<Frame.HistoryMessage> one = List.of(new Frame.HistoryMessage(3, "x", 1000, null, null, null));
    Frame.HistoryReply more = new Frame.HistoryReply("t", one, 4L);
    assertEquals("{\"type\":\"history_reply\",\"topic\":\"t\",\"messages\":[{\"id\":3,\"payload\":\"x\",\"timestamp\":1000}],"
        + "\"next_id\":4}", bodyOf(more));
    assertEquals(more, decode(bodyOf(more)));
    Frame.HistoryReply last = new Frame.HistoryReply("t", one);
    assertFalse(bodyOf(last).contains("next_id"));
    assertNull(((Frame.HistoryReply) decode(bodyOf(last))).nextId());
  }

  @Test
  void aStatsReplyOmitsNextOnTheLastPage() {
    assertEquals("{\"type\":\"stats_reply\",\"topics\":[]}", bodyOf(new Frame.StatsReply(new Page(List.of(), null))));
    assertEquals("{\"type\":\"stats_reply\",\"topics\":[],\"next\":\"b\"}",
        bodyOf(new Frame.StatsReply(new Page(List.of(), "b"))));
  }

  /** A stand-in for the server's snapshot: topics, then the cursor. */
  record Page(List<Object> topics, String next) {}

  record Topic(String name, long published) {}

  @Test
  void aStatsPageFilledByTheBudgetNeverExceedsTheLimit() {
    for (int limit : new int[] {200, 333, 1000, 4096}) {
      ReplyBudget budget = ReplyBudget.forStats(new Page(List.of(), ""), limit);
      List<Object> topics = new ArrayList<>();
      String last = null;
      for (int i = 0; i < 10_000; i++) {
        Topic topic = new Topic("topic-with-a-name-" + i, i);
        if (!budget.tryAddTopic(topic, topic.name())) {
          break;
        }
        topics.add(topic);
        last = topic.name();
      }
      int bytes = bodyBytes(new Frame.StatsReply(new Page(topics, last)));
      assertTrue(bytes <= limit, bytes + " > " + limit);
      Topic refused = new Topic("topic-with-a-name-" + topics.size(), topics.size());
      topics.add(refused);
      assertTrue(bodyBytes(new Frame.StatsReply(new Page(topics, refused.name()))) > limit,
          "the page is filled: the topic it refused would not have fitted");
    }
  }

  @Test
  void aHistoryPageFilledByTheBudgetNeverExceedsTheLimitAndTakesItsFirstMessageWhateverItsSize() {
    int limit = 1024;
    ReplyBudget budget = ReplyBudget.forHistory("orders", limit);
    List<Frame.HistoryMessage> page = new ArrayList<>();
    for (long id = 1; id < 1000; id++) {
      // Control characters take six bytes each once escaped: the budget must measure the encoding.
      Frame.HistoryMessage m = new Frame.HistoryMessage(id, "\u0001\u0002" + "é".repeat((int) id), 1_763_780_000_000L,
          "k", Map.of("h", "v"), null);
      if (!budget.tryAddMessage(m)) {
        break;
      }
      page.add(m);
    }
    assertTrue(page.size() > 1);
    assertTrue(bodyBytes(new Frame.HistoryReply("orders", page, Long.MAX_VALUE)) <= limit);

    ReplyBudget small = ReplyBudget.forHistory("orders", 64);
    Frame.HistoryMessage big = new Frame.HistoryMessage(1, "x".repeat(500), 0, null, null, null);
    assertTrue(small.tryAddMessage(big), "the first message always goes, so paging moves on");
    assertFalse(small.tryAddMessage(new Frame.HistoryMessage(2, "", 0, null, null, null)));
  }
}
