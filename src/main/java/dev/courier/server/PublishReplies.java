package dev.courier.server;

import dev.courier.protocol.Frame;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keeps a producer's replies in publish order: with durable storage an {@code ok} waits for the
 * disk, while the refusal of a later publish (topic full, say) is known at once and must not
 * overtake it. Used on the connection's event loop only.
 */
final class PublishReplies {
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private final Consumer<Frame> sender;

  PublishReplies(Consumer<Frame> sender) {
    this.sender = sender;
  }

  /** The place of a publish whose reply storage will give later. */
  Slot reserve() {
    Slot slot = new Slot();
    waiting.addLast(slot);
    return slot;
  }

  /** Answers a publish: with its reserved place, or (null) at once unless replies wait before it. */
  void answer(Slot slot, Frame reply) {
    if (slot != null) {
      slot.reply = reply;
      sendReady();
    } else if (waiting.isEmpty()) {
      sender.accept(reply);
    } else {
      Slot known = new Slot();
      known.reply = reply;
      waiting.addLast(known);
    }
  }

  private void sendReady() {
    Slot head;
    while ((head = waiting.peekFirst()) != null && head.reply != null) {
      waiting.pollFirst();
      sender.accept(head.reply);
    }
  }

  /** A reply to a publish, known once storage answered. */
  static final class Slot {
    private Frame reply;
  }
}
