package dev.courier.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishRepliesTest {
  private final List<Frame> sent = new ArrayList<>();
  private final PublishReplies replies = new PublishReplies(sent::add, () -> false);
  private final Frame.Error full = new Frame.Error("full", ErrorCode.TOPIC_FULL);

  @Test
  void aReplyKnownAtOnceGoesAtOnceWhenNothingWaits() {
    replies.answer(null, Frame.Ok.INSTANCE);
    assertEquals(List.of(Frame.Ok.INSTANCE), sent);
  }

  @Test
  void aRefusalWaitsBehindAnOkStillOnItsWayToDisk() {
    PublishReplies.Slot first = replies.reserve();
    replies.answer(null, full);
    assertEquals(List.of(), sent);
    replies.answer(first, Frame.Ok.INSTANCE);
    assertEquals(List.of(Frame.Ok.INSTANCE, full), sent);
  }

  @Test
  void storageAnswersOutOfOrderAreSentInPublishOrder() {
    PublishReplies.Slot first = replies.reserve();
    PublishReplies.Slot second = replies.reserve();
    Frame.Error failed = new Frame.Error("disk", ErrorCode.STORAGE_UNAVAILABLE);
    replies.answer(second, failed);
    assertEquals(List.of(), sent);
    replies.answer(first, Frame.Ok.INSTANCE);
    assertEquals(List.of(Frame.Ok.INSTANCE, failed), sent);
  }

  @Test
  void aReplyBuiltWhenDueIsBuiltOnlyWhenTheRepliesBeforeItHaveGone() {
    int[] built = {0};
    PublishReplies.Slot first = replies.reserve();
    replies.answerWhenDue(() -> {
      built[0]++;
      return full;
    });
    assertEquals(0, built[0]);

    replies.answer(first, Frame.Ok.INSTANCE);

    assertEquals(1, built[0]);
    assertEquals(List.of(Frame.Ok.INSTANCE, full), sent);
  }

  @Test
  void queuedRepliesWaitWhileTheSocketIsBackedUpAndGoWhenItDrains() {
    boolean[] backedUp = {false};
    PublishReplies throttled = new PublishReplies(sent::add, () -> backedUp[0]);
    PublishReplies.Slot first = throttled.reserve();
    throttled.answer(null, full);
    backedUp[0] = true;

    throttled.answer(first, Frame.Ok.INSTANCE);
    assertEquals(List.of(), sent);
    assertEquals(2, throttled.waiting());

    backedUp[0] = false;
    throttled.sendReady();
    assertEquals(List.of(Frame.Ok.INSTANCE, full), sent);
  }

  @Test
  void anActionInLineRunsAfterTheRepliesBeforeIt() {
    List<String> order = new ArrayList<>();
    PublishReplies traced = new PublishReplies(f -> order.add(f.getClass().getSimpleName()), () -> false);
    PublishReplies.Slot first = traced.reserve();
    traced.answer(null, full);
    traced.then(() -> order.add("close"));
    assertEquals(List.of(), order);

    traced.answer(first, Frame.Ok.INSTANCE);

    assertEquals(List.of("Ok", "Error", "close"), order);
  }
}
