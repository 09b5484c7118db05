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
}
