package dev.courier.stomp;

import dev.courier.core.Message;
import dev.courier.core.Publication;
import dev.courier.protocol.OutboundFrames;
import dev.courier.security.Principal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.stomp.Command;
import io.vertx.ext.stomp.Frame;
import io.vertx.ext.stomp.StompServerOptions;
import io.vertx.ext.stomp.impl.FrameParser;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One STOMP client socket (docs/STOMP.md): vertx-stomp's {@link FrameParser} cuts frames, and this
 * turns them into the same broker calls as the Courier port's connection, and deliveries into
 * MESSAGE frames. Lives on the broker's event loop. Every error is STOMP's only kind: an ERROR
 * frame (with the failing frame's {@code receipt-id}) in reply order, then the socket closes.
 */
final class StompConnection implements StompSubscription.Deliveries {
  private static final Logger log = LoggerFactory.getLogger(StompConnection.class);
  /** Transactions one connection may hold open: clients use one at a time. */
  static final int MAX_TRANSACTIONS = 16;

  private enum State { AWAITING_CONNECT, CONNECTING, CONNECTED, CLOSING, CLOSED }

  private final String name;
  private final NetSocket socket;
  private final StompContext context;
  private final String remoteHost;
  private final Runnable onClosed;
  private final FrameParser parser;
  private final OutboundFrames outbound;
  private final OrderedReplies replies = new OrderedReplies(this::write);
  private final SendPath sends;
  private final StompHeartBeat heartBeat;
  private final StompAccess access;
  private final StompSubscriptions subscriptions;
  private final StompTransactions transactions;
  /** Frames cut while the connection may not act on them yet; handled in order once it may. */
  private final ArrayDeque<Frame> inbox = new ArrayDeque<>();
  private final long maxFrameBytes;
  private State state = State.AWAITING_CONNECT;
  private Principal principal;
  private String version = "1.2";
  private boolean pausedForWrites;
  private boolean handlingInbox;
  /** Bytes read since the last frame was cut: bounds a frame's command and header lines too. */
  private long bytesInFrame;
  private long connectTimer = -1;

  StompConnection(long id, NetSocket socket, StompContext context, Runnable onClosed) {
    this.name = "stomp-conn=" + id;
    this.socket = socket;
    this.context = context;
    this.remoteHost = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    this.onClosed = onClosed;
    this.sends = new SendPath(context, this::updateReading);
    this.access = new StompAccess(name, context);
    this.subscriptions = new StompSubscriptions(name, context, access, this);
    // One write per loop turn, not one per frame: the Courier port's measured remedy, reused.
    this.outbound = new OutboundFrames(socket, context.vertx().getOrCreateContext(), this::pauseIfWritesBackUp);
    this.transactions = new StompTransactions(context.config().stompMaxTransactionFrames(), MAX_TRANSACTIONS,
        context.config().maxFrameBytes());
    this.heartBeat = new StompHeartBeat(context.vertx(), context.config().stompHeartBeatMs(), socket,
        this::peerSilent, () -> isHeldBack() || !inbox.isEmpty());
    var c = context.config();
    // A frame's headers are bounded by their count and size; its body by max_frame_bytes.
    this.maxFrameBytes = c.maxFrameBytes() + (long) c.stompMaxHeaders() * (2L * c.stompMaxHeaderBytes() + 2) + 1024;
    this.parser = new FrameParser(new StompServerOptions()
        .setMaxHeaders(c.stompMaxHeaders())
        .setMaxHeaderLength(c.stompMaxHeaderBytes())
        .setMaxBodyLength(c.maxFrameBytes() + 1)); // the parser refuses a body of this length or more
    parser.handler(this::onFrame).errorHandler(e -> fail("invalid frame: " + e.getMessage(), null));
    socket.handler(this::onData);
    socket.closeHandler(v -> closed());
    socket.drainHandler(v -> drained());
    socket.exceptionHandler(e -> log.debug("{} socket error: {}", name, e.toString()));
  }

  void start() {
    long timeoutMs = context.config().registerTimeoutMs();
    connectTimer = context.vertx().setTimer(timeoutMs, t -> {
      connectTimer = -1;
      if (state == State.AWAITING_CONNECT) {
        fail("no CONNECT frame within " + timeoutMs + " ms", null);
      }
    });
    log.debug("{} opened from {}", name, socket.remoteAddress());
  }

  /** Closes the socket; the close handler cleans up. */
  void close() {
    if (state != State.CLOSED) {
      state = State.CLOSING;
      outbound.flush();
      socket.close();
    }
  }

  @Override
  public boolean canWrite() {
    return state == State.CONNECTED && !outbound.isBackedUp();
  }

  @Override
  public void write(StompSubscription subscription, Message message, int attempt) {
    Map<String, String> headers = new LinkedHashMap<>();
    String ackId = subscription.ackId(message.id());
    headers.put(Frame.SUBSCRIPTION, subscription.id);
    headers.put(Frame.MESSAGE_ID, ackId);
    headers.put(Frame.DESTINATION, subscription.destination);
    if (subscription.ackMode != StompSubscription.AckMode.AUTO) {
      headers.put(Frame.ACK, ackId);
    }
    // Always, as RabbitMQ's STOMP plugin does: clients that read it find it either way.
    headers.put("redelivered", attempt > 1 ? "true" : "false");
    headers.put(StompHeaders.ID, Long.toString(message.id()));
    headers.put(StompHeaders.ATTEMPT, Integer.toString(attempt));
    if (message.key() != null) {
      headers.put(StompHeaders.KEY, message.key());
    }
    if (message.headers() != null) {
      message.headers().forEach(headers::putIfAbsent);
    }
    Buffer body = StompBodies.body(message);
    headers.put(Frame.CONTENT_LENGTH, Integer.toString(body.length()));
    write(new Frame(Command.MESSAGE, headers, body));
    subscriptions.written(subscription, message.id());
  }

  private void onData(Buffer data) {
    heartBeat.received();
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    bytesInFrame += data.length();
    try {
      parser.handle(data);
    } catch (RuntimeException e) {
      // The parser lets a bad content-length through as an exception: the peer's doing.
      fail("invalid frame: " + e.getMessage(), null);
      return;
    }
    if (bytesInFrame > maxFrameBytes && state != State.CLOSING && state != State.CLOSED) {
      fail("frame larger than " + maxFrameBytes + " bytes (max_frame_bytes, stomp_max_headers, stomp_max_header_bytes)",
          null);
    }
  }

  private void onFrame(Frame frame) {
    bytesInFrame = 0;
    if (frame.getCommand() == Command.PING || state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    // The parser checks its body limit only on the first piece of a body that arrives in pieces.
    if (frame.getBody() != null && frame.getBody().length() > context.config().maxFrameBytes()) {
      fail("Body size exceeded: " + frame.getBody().length() + " bytes, max_frame_bytes is "
          + context.config().maxFrameBytes(), frame);
      return;
    }
    if (isHeldBack() || !inbox.isEmpty()) {
      inbox.add(frame);
      return;
    }
    handle(frame);
  }

  private void handle(Frame frame) {
    try {
      switch (frame.getCommand()) {
        case CONNECT, STOMP -> onConnect(frame);
        default -> {
          if (state != State.CONNECTED) {
            fail("send CONNECT first; got " + frame.getCommand(), frame);
            return;
          }
          onConnectedFrame(frame);
        }
      }
    } catch (RuntimeException e) {
      log.error("{} failed handling a {} frame; closing the connection", name, frame.getCommand(), e);
      fail("internal error; see the broker log for " + name, frame);
    }
  }

  private void onConnectedFrame(Frame frame) {
    String transaction = frame.getHeader(Frame.TRANSACTION);
    Command command = frame.getCommand();
    if (transaction != null && (command == Command.SEND || command == Command.ACK || command == Command.NACK)) {
      answer(frame, transactions.hold(transaction, frame));
      return;
    }
    switch (command) {
      case SEND -> onSend(frame);
      case SUBSCRIBE -> answer(frame, subscriptions.subscribe(frame, principal));
      case UNSUBSCRIBE -> answer(frame, subscriptions.unsubscribe(frame));
      case ACK -> answer(frame, subscriptions.ack(frame, false));
      case NACK -> answer(frame, subscriptions.ack(frame, true));
      case BEGIN, COMMIT, ABORT -> onTransaction(frame);
      case DISCONNECT -> onDisconnect(frame);
      default -> fail("unknown or unexpected command " + frame.getHeader(Frame.STOMP_FRAME_COMMAND) + "", frame);
    }
  }

  /** CONNECT or STOMP: version, heart-beat, then who (docs/SECURITY.md's users). */
  private void onConnect(Frame frame) {
    if (state != State.AWAITING_CONNECT) {
      fail("this connection is connected already", frame);
      return;
    }
    version = StompVersions.negotiate(frame.getHeader(Frame.ACCEPT_VERSION));
    if (version == null) {
      Frame error = StompFrames.error("no common STOMP version: this broker speaks " + StompVersions.SUPPORTED, frame);
      error.getHeaders().put(Frame.VERSION, StompVersions.SUPPORTED);
      failWith(error);
      return;
    }
    String login = frame.getHeader(Frame.LOGIN);
    String passcode = frame.getHeader(Frame.PASSCODE);
    if (login == null && passcode == null) {
      Principal who = context.logins().anonymous();
      if (who == null) {
        fail("this broker serves no anonymous clients: CONNECT with login and passcode", frame);
      } else {
        connected(frame, who);
      }
      return;
    }
    state = State.CONNECTING;
    updateReading();
    context.logins().login(login, passcode, remoteHost, name).onComplete(result -> {
      if (state != State.CONNECTING) {
        return; // closed meanwhile
      }
      if (result.failed()) {
        fail(result.cause().getMessage(), frame);
        return;
      }
      connected(frame, result.result());
    });
  }

  private void connected(Frame frame, Principal who) {
    if (!context.quotas().mayOpenFor(who)) {
      fail("user \"" + who.name() + "\" has max_connections_per_user=" + context.quotas().maxConnectionsPerUser()
          + " connections already", frame);
      return;
    }
    context.quotas().openFor(who);
    principal = who;
    state = State.CONNECTED;
    cancelConnectTimer();
    String agreed = heartBeat.negotiate(frame.getHeader(Frame.HEARTBEAT));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(Frame.VERSION, version);
    headers.put(Frame.HEARTBEAT, agreed);
    headers.put(Frame.SERVER, "Courier");
    headers.put(Frame.SESSION, name);
    write(new Frame(Command.CONNECTED, headers, null));
    log.info("{} connected with STOMP {} from {} user={} heart-beat={}", name, version, socket.remoteAddress(),
        who.name(), agreed);
    updateReading();
  }

  private void onSend(Frame frame) {
    StompDestination destination = StompDestination.parse(frame.getDestination());
    if (destination == null) {
      fail(StompDestination.problem(frame.getDestination()), frame);
      return;
    }
    String topic = destination.topic();
    String problem = access.sendProblem(principal, topic);
    if (problem != null) {
      fail(problem, frame);
      return;
    }
    StompBodies.Payload payload = StompBodies.payload(frame.getBody());
    Publication publication = new Publication(topic, payload.text(), frame.getHeader(StompHeaders.KEY),
        StompHeaders.messageHeaders(frame), payload.base64());
    long storedChars = StompHeaders.storedChars(publication);
    if (storedChars > context.config().maxFrameBytes()) {
      // What a Courier-protocol publish could carry, so that its consumers can always be sent it.
      fail("the message as stored (a binary body as base64, with its headers) takes " + storedChars
          + " characters, more than max_frame_bytes=" + context.config().maxFrameBytes(), frame);
      return;
    }
    OrderedReplies.Slot slot = replies.reserve();
    sends.send(principal, publication, new SendPath.Outcome() {
      @Override
      public void stored() {
        replies.answer(slot, StompFrames.receipt(frame));
        updateReading();
      }

      @Override
      public void refused(String reason) {
        failInSlot(slot, reason, frame);
      }
    });
    updateReading();
  }

  private void onTransaction(Frame frame) {
    String transaction = frame.getHeader(Frame.TRANSACTION);
    if (transaction == null) {
      fail(frame.getCommand() + " needs a transaction header", frame);
      return;
    }
    String problem = switch (frame.getCommand()) {
      case BEGIN -> transactions.begin(transaction);
      case ABORT -> transactions.abort(transaction) == null ? "no transaction \"" + transaction + "\" to abort" : null;
      default -> null;
    };
    if (problem != null) {
      fail(problem, frame);
      return;
    }
    if (frame.getCommand() == Command.COMMIT) {
      List<Frame> held = transactions.abort(transaction);
      if (held == null) {
        fail("no transaction \"" + transaction + "\" to commit", frame);
        return;
      }
      // The transaction's frames take effect now, in their order; the COMMIT's RECEIPT follows
      // every one of them, so it means every SEND of it is stored.
      for (Frame inside : held) {
        if (state != State.CONNECTED) {
          return;
        }
        inside.getHeaders().remove(Frame.TRANSACTION);
        inside.getHeaders().remove(Frame.RECEIPT); // answered when it was held
        onConnectedFrame(inside);
      }
    }
    receipt(frame);
  }

  private void onDisconnect(Frame frame) {
    receipt(frame);
    state = State.CLOSING;
    // After every RECEIPT still due: a client that waits for the DISCONNECT's knows all were stored.
    replies.then(this::flushAndClose);
  }

  /** The frame's RECEIPT, or its ERROR when {@code problem} says why it failed. */
  private void answer(Frame frame, String problem) {
    if (problem != null) {
      fail(problem, frame);
    } else {
      receipt(frame);
    }
  }

  /** A RECEIPT for the frame if it asked for one, in reply order. */
  private void receipt(Frame frame) {
    Frame receipt = StompFrames.receipt(frame);
    if (receipt != null) {
      replies.answer(null, receipt);
    }
  }

  private boolean isHeldBack() {
    return state == State.CONNECTING || pausedForWrites || sends.isPaused()
        || replies.size() >= context.config().stompMaxUnconfirmedSends();
  }

  /** Reads the socket, and handles frames cut before, only while nothing holds the connection back. */
  private void updateReading() {
    if (state == State.CLOSED || handlingInbox) {
      return;
    }
    handlingInbox = true;
    try {
      while (!inbox.isEmpty() && !isHeldBack() && (state == State.CONNECTED || state == State.AWAITING_CONNECT)) {
        handle(inbox.poll());
      }
    } finally {
      handlingInbox = false;
    }
    if (state == State.CLOSED) {
      return;
    }
    if (isHeldBack() || !inbox.isEmpty()) {
      socket.pause();
    } else {
      socket.resume();
    }
  }

  private void peerSilent(long silentMs) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    context.warnings().warn("{} closing: no heart-beat or frame from the peer in {} ms", name, silentMs);
    state = State.CLOSING;
    // Straight out, not in reply order: the peer is gone, and replies it owes would never come.
    write(StompFrames.error("no heart-beat or frame from the client in " + silentMs + " ms", null));
    outbound.flush();
    socket.close();
  }

  /** ERROR in reply order for {@code frame} (its receipt-id), then close once written. */
  private void fail(String message, Frame frame) {
    failWith(StompFrames.error(message, frame));
  }

  private void failWith(Frame error) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    context.warnings().warn("{} closing: {}", name, error.getHeader(Frame.MESSAGE));
    state = State.CLOSING;
    cancelConnectTimer();
    inbox.clear();
    socket.pause();
    replies.answer(null, error);
    replies.then(this::flushAndClose);
  }

  /** A SEND refused: its ERROR takes the SEND's place in reply order. */
  private void failInSlot(OrderedReplies.Slot slot, String message, Frame frame) {
    if (state == State.CLOSED) {
      return;
    }
    if (state != State.CLOSING) {
      context.warnings().warn("{} closing: {}", name, message);
      state = State.CLOSING;
      inbox.clear();
      socket.pause();
      replies.then(this::flushAndClose);
    }
    replies.answer(slot, StompFrames.error(message, frame));
  }

  private void write(Frame frame) {
    if (state == State.CLOSED) {
      return;
    }
    outbound.addEncoded(frame.toBuffer());
    heartBeat.sent();
  }

  private void pauseIfWritesBackUp() {
    if (state != State.CLOSED && !pausedForWrites && socket.writeQueueFull()) {
      pausedForWrites = true; // a peer that does not read is not read either
      updateReading();
    }
  }

  /** Closes once what is gathered for the socket is written. */
  private void flushAndClose() {
    outbound.flush().onComplete(ar -> socket.close());
  }

  private void drained() {
    pausedForWrites = false;
    updateReading();
    subscriptions.writable();
  }

  private void closed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    cancelConnectTimer();
    heartBeat.stop();
    sends.close();
    subscriptions.closeAll();
    if (principal != null) {
      context.quotas().closedFor(principal);
    }
    log.info("{} closed", name);
    onClosed.run();
  }

  private void cancelConnectTimer() {
    if (connectTimer >= 0) {
      context.vertx().cancelTimer(connectTimer);
      connectTimer = -1;
    }
  }
}
