package dev.courier.server;

import dev.courier.protocol.Frame;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps a connection's replies in the order of the frames that caused them: with durable storage
 * an {@code ok} waits for the disk, while a refusal of a later frame (a bad publish, topic full,
 * wrong role) or a {@code stats} reply is known at once and must not overtake it. Every reply of
 * a connection goes through here; on a connection with nothing pending it goes out at once.
 *
 * <p>Bounded: queued replies are sent only while the socket is not backed up ({@link #sendReady}
 * runs again from its drain handler), and a {@code stats} reply is built only when its turn comes,
 * so a peer that asks for thousands behind a slow {@code ok} queues thunks, not snapshots.
 * Used on the connection's event loop only.
 */
final class PublishReplies {
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private final Consumer<Frame> sender;
  private final BooleanSupplier backedUp;

  PublishReplies(Consumer<Frame> sender, BooleanSupplier backedUp) {
    this.sender = sender;
    this.backedUp = backedUp;
  }

  /** The place of a frame whose reply comes later (storage, a history read). */
  Slot reserve() {
    Slot slot = new Slot();
    waiting.addLast(slot);
    return slot;
  }

  /** Answers a frame: with its reserved place, or (null) at once unless replies wait before it. */
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

  /** A reserved place that gets no reply after all (its frame was dropped unanswered). */
  void skip(Slot slot) {
    slot.action = () -> { };
    sendReady();
  }

  /** Answers a frame with a reply built when its turn comes, e.g. a stats snapshot. */
  void answerWhenDue(Supplier<Frame> reply) {
    if (waiting.isEmpty()) {
      sender.accept(reply.get());
    } else {
      Slot later = new Slot();
      later.later = reply;
      waiting.addLast(later);
    }
  }

  /** Runs {@code action} once every reply queued so far has been sent, e.g. closing after a fatal error. */
  void then(Runnable action) {
    if (waiting.isEmpty()) {
      action.run();
    } else {
      Slot step = new Slot();
      step.action = action;
      waiting.addLast(step);
    }
  }

  /** Sends the replies whose turn has come, while the socket takes them. */
  void sendReady() {
    Slot head;
    while ((head = waiting.peekFirst()) != null && head.isReady() && !backedUp.getAsBoolean()) {
      waiting.pollFirst();
      if (head.action != null) {
        head.action.run();
      } else {
        sender.accept(head.reply != null ? head.reply : head.later.get());
      }
    }
  }

  int waiting() {
    return waiting.size();
  }

  /** A reply to one frame: known once storage answered, built when due, or an action in line. */
  static final class Slot {
    private Frame reply;
    private Supplier<Frame> later;
    private Runnable action;

    private boolean isReady() {
      return reply != null || later != null || action != null;
    }
  }
}
