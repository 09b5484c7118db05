package dev.courier.stomp;

import dev.courier.core.Publication;
import dev.courier.security.Principal;
import io.vertx.ext.stomp.Command;
import io.vertx.ext.stomp.Frame;
import java.util.List;

/**
 * A connection's SEND frames (each one's RECEIPT is its publisher confirm, in reply order) and
 * its transactions, whose SENDs and ACKs take effect at COMMIT. Kept apart from
 * {@link StompConnection}, which owns the state machine and the socket.
 */
final class StompSends {
  /** Transactions one connection may hold open: clients use one at a time. */
  static final int MAX_TRANSACTIONS = 16;

  /** What SEND and transaction frames ask of their connection. */
  interface Session {
    boolean isConnected();

    /** Who the connection is, once connected. */
    Principal principal();

    /** Handles a frame a COMMIT releases as if it had just arrived. */
    void handleConnected(Frame frame);

    void receipt(Frame frame);

    void fail(String message, Frame frame);

    /** A SEND refused: its ERROR takes the SEND's place in reply order. */
    void failInSlot(OrderedReplies.Slot slot, String message, Frame frame);

    void updateReading();
  }

  private final StompContext context;
  private final StompAccess access;
  private final SendPath sends;
  private final OrderedReplies replies;
  private final Session session;
  private final StompTransactions transactions;

  StompSends(StompContext context, StompAccess access, SendPath sends, OrderedReplies replies, Session session) {
    this.context = context;
    this.access = access;
    this.sends = sends;
    this.replies = replies;
    this.session = session;
    this.transactions = new StompTransactions(context.config().stompMaxTransactionFrames(), MAX_TRANSACTIONS,
        context.config().maxFrameBytes());
  }

  /** Holds a SEND, ACK or NACK of a transaction until its COMMIT; null, or why it cannot. */
  String hold(String transaction, Frame frame) {
    return transactions.hold(transaction, frame);
  }

  void send(Frame frame) {
    StompDestination destination = StompDestination.parse(frame.getDestination());
    if (destination == null) {
      session.fail(StompDestination.problem(frame.getDestination()), frame);
      return;
    }
    String topic = destination.topic();
    Principal principal = session.principal();
    String problem = access.sendProblem(principal, topic);
    if (problem != null) {
      session.fail(problem, frame);
      return;
    }
    StompLifecycle lifecycle = StompLifecycle.of(frame);
    if (lifecycle.problem() != null) {
      session.fail(lifecycle.problem(), frame);
      return;
    }
    StompBodies.Payload payload = StompBodies.payload(frame.getBody());
    Publication publication = new Publication(topic, payload.text(), frame.getHeader(StompHeaders.KEY),
        StompHeaders.messageHeaders(frame), payload.base64(), lifecycle.dedupId(), lifecycle.ttlMs(),
        lifecycle.delayMs(), lifecycle.deliverAt());
    String delayProblem = publication.isDelayed() ? context.broker().delayProblem(publication) : null;
    if (delayProblem != null) {
      // The core's rule, in the wire's field names; the SEND's headers are named here.
      session.fail(lifecycle.headerNames() + ": " + delayProblem, frame);
      return;
    }
    long storedChars = StompHeaders.storedChars(publication);
    if (storedChars > context.config().maxFrameBytes()) {
      // What a Courier-protocol publish could carry, so that its consumers can always be sent it.
      session.fail("the message as stored (a binary body as base64, with its headers) takes " + storedChars
          + " characters, more than max_frame_bytes=" + context.config().maxFrameBytes(), frame);
      return;
    }
    OrderedReplies.Slot slot = replies.reserve();
    sends.send(principal, publication, new SendPath.Outcome() {
      @Override
      public void stored(long id, boolean duplicate) {
        replies.answer(slot, lifecycle.any() ? StompFrames.receipt(frame, id, duplicate) : StompFrames.receipt(frame));
        session.updateReading();
      }

      @Override
      public void refused(String reason) {
        session.failInSlot(slot, reason, frame);
      }
    });
    session.updateReading();
  }

  /** BEGIN, COMMIT or ABORT. */
  void transaction(Frame frame) {
    String transaction = frame.getHeader(Frame.TRANSACTION);
    if (transaction == null) {
      session.fail(frame.getCommand() + " needs a transaction header", frame);
      return;
    }
    String problem = switch (frame.getCommand()) {
      case BEGIN -> transactions.begin(transaction);
      case ABORT -> transactions.abort(transaction) == null ? "no transaction \"" + transaction + "\" to abort" : null;
      default -> null;
    };
    if (problem != null) {
      session.fail(problem, frame);
      return;
    }
    if (frame.getCommand() == Command.COMMIT) {
      List<Frame> held = transactions.abort(transaction);
      if (held == null) {
        session.fail("no transaction \"" + transaction + "\" to commit", frame);
        return;
      }
      // The transaction's frames take effect now, in their order; the COMMIT's RECEIPT follows
      // every one of them, so it means every SEND of it is stored.
      for (Frame inside : held) {
        if (!session.isConnected()) {
          return;
        }
        inside.getHeaders().remove(Frame.TRANSACTION);
        inside.getHeaders().remove(Frame.RECEIPT); // answered when it was held
        session.handleConnected(inside);
      }
    }
    session.receipt(frame);
  }
}
