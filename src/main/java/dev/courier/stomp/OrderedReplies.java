package dev.courier.stomp;

import io.vertx.ext.stomp.Frame;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A connection's replies (RECEIPT, ERROR) in the order of the frames that caused them, though a
 * SEND's RECEIPT waits for storage: a client that gets a RECEIPT knows every frame before it took
 * effect. A slot without a frame (a SEND without a receipt header) holds its place until answered.
 */
final class OrderedReplies {
  static final class Slot {
    private Frame frame;
    private Runnable action;
    private boolean answered;
  }

  private final ArrayDeque<Slot> pending = new ArrayDeque<>();
  private final Consumer<Frame> writer;

  OrderedReplies(Consumer<Frame> writer) {
    this.writer = writer;
  }

  Slot reserve() {
    Slot slot = new Slot();
    pending.add(slot);
    return slot;
  }

  /** Answers a slot; {@code frame} null for none. Null slot: a reply in turn now. */
  void answer(Slot slot, Frame frame) {
    if (slot == null) {
      slot = reserve();
    }
    slot.frame = frame;
    slot.answered = true;
    flush();
  }

  /** Runs once every slot reserved so far is answered and written (at once if none waits). */
  void then(Runnable action) {
    Slot slot = reserve();
    slot.action = action;
    slot.answered = true;
    flush();
  }

  /** Slots reserved and not yet written: SENDs on their way to storage among them. */
  int size() {
    return pending.size();
  }

  private void flush() {
    while (!pending.isEmpty() && pending.peek().answered) {
      Slot head = pending.poll();
      if (head.frame != null) {
        writer.accept(head.frame);
      }
      if (head.action != null) {
        head.action.run();
      }
    }
  }
}
