package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.Subscription;
import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameDecoder;
import dev.courier.protocol.OutboundFrames;
import dev.courier.protocol.FrameException;
import dev.courier.protocol.TurnBuffers;
import dev.courier.security.Permission;
import dev.courier.security.Principal;
import dev.courier.security.UserQuotas;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: decodes its frames, enforces the register-first state machine, and turns
 * frames into broker calls and broker deliveries into frames. Lives on the broker's event loop.
 * The error tiers and codes are those of {@code docs/PROTOCOL.md}.
 */
final class Connection implements FrameDecoder.Listener, Registration.Registrant {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final Buffer OK_FRAME = FrameCodec.encode(Frame.Ok.INSTANCE);

  private enum State { AWAITING_REGISTER, PRODUCER, CONSUMER, CLOSING, CLOSED }

  private final long id;
  private final String name;
  private final NetSocket socket;
  private final ConnectionContext context;
  private final Broker broker;
  private final FrameDecoder decoder;
  private final Runnable onClosed;
  /** The subject CN of the verified client certificate, or null; see {@link #tlsUser()}. */
  private final String tlsUser;
  private State state = State.AWAITING_REGISTER;
  private String clientName;
  private String producerTopic = Broker.DEFAULT_TOPIC;
  private boolean pausedForWrites;
  /** Who this connection acts for, from its register on; before it, see {@link #actor()}. */
  private Principal principal;
  private long registerTimer = -1;
  private final OutboundFrames outbound;
  /** Every reply of this connection, in the order of the frames that caused them. */
  private final PublishReplies replies = new PublishReplies(this::sendReply, this::isBackedUp);
  private final AccessChecks access;
  private final PublishPath publishing;
  private final ConsumePath consuming;
  private final Registration registration;
  private final HistoryReads histories;
  /** Stats, redrive and history: any registered role may send them, each checked by its permission. */
  private final OperatorFrames operatorFrames;

  Connection(long id, NetSocket socket, ConnectionContext context, Runnable onClosed) {
    this.id = id;
    this.name = "conn=" + id;
    this.socket = socket;
    this.context = context;
    this.broker = context.broker();
    this.onClosed = onClosed;
    this.tlsUser = ServerTls.commonName(socket);
    this.access = new AccessChecks(name, context, this::reject, this::answerLimitReached);
    this.publishing = new PublishPath(name, context, replies, access, this::updateReading);
    Context loop = context.vertx().getOrCreateContext();
    this.outbound = new OutboundFrames(socket, loop, this::pauseIfRepliesBackUp, TurnBuffers.of(loop));
    this.histories = new HistoryReads(context, replies, () -> state == State.CLOSED, this::updateReading);
    this.registration = new Registration(name, context, this, tlsUser, Registration.remoteHost(socket));
    this.operatorFrames = new OperatorFrames(context, replies, histories, this::refuses);
    this.consuming = new ConsumePath(this::name, broker, outbound, () -> state == State.CONSUMER, this::reject);
    // With a wrapping parser, cleanup belongs on the socket's close handler: the parser owns the
    // socket's data, end and exception handlers.
    this.decoder = FrameDecoder.reading(new SocketReads(socket), context.config().maxFrameBytes(),
        context.frameBudget(), this);
    socket.closeHandler(v -> closed());
    // Whatever the state: a peer that does not read its replies is not read either, until they drain.
    socket.drainHandler(v -> drained());
    socket.exceptionHandler(e -> log.debug("{} socket error: {}", name, e.toString()));
  }

  void start() {
    long timeoutMs = context.config().registerTimeoutMs();
    registerTimer = context.vertx().setTimer(timeoutMs, t -> {
      registerTimer = -1;
      if (state == State.AWAITING_REGISTER) {
        fail(ErrorCode.REGISTER_TIMEOUT, "no register frame within " + timeoutMs + " ms");
      }
    });
    if (tlsUser != null) {
      log.debug("{} opened from {} with the client certificate of tls_user={}", name, socket.remoteAddress(), tlsUser);
    } else {
      log.debug("{} opened from {}", name, socket.remoteAddress());
    }
  }

  /**
   * Who the client proved to be with its certificate: the subject CN of the client certificate
   * the TLS handshake verified against {@code tls_client_ca_file}; null without mutual TLS. It is
   * the user of the connection when authentication comes from the certificate (issue 9).
   */
  String tlsUser() {
    return tlsUser;
  }

  /** What the HTTP API shows of this connection; on the broker's loop. */
  ConnectionSummary summary() {
    Subscription subscription = consuming.subscription();
    String role = subscription != null ? "consumer" : state == State.PRODUCER ? "producer" : "unregistered";
    return new ConnectionSummary(id, role, subscription != null ? subscription.topic()
        : state == State.PRODUCER ? producerTopic : null, subscription == null ? null : subscription.group(),
        Registration.remoteHost(socket), principal == null ? null : principal.name(), clientName,
        subscription == null ? 0 : subscription.credit(), subscription == null ? 0 : subscription.inFlight());
  }

  /** Closes the socket; the close handler does the cleanup. */
  void close() {
    if (state != State.CLOSED) {
      outbound.flush();
      state = State.CLOSING;
      socket.close();
    }
  }

  /** For logs and the core, e.g. {@code conn=12 client=billing}. */
  String name() {
    return clientName == null ? name : name + " client=" + clientName;
  }

  @Override
  public void onFrame(Frame frame) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    context.frameReceived().run();
    try {
      if (frame instanceof Frame.Publish publish) {
        onPublish(publish);
      } else if (ConsumePath.handles(frame)) {
        if (isConsumer(typeName(frame))) {
          consuming.handle(frame);
        }
      } else if (OperatorFrames.handles(frame)) {
        operatorFrames.handle(frame);
      } else if (frame instanceof Frame.Register register) {
        registration.handle(register);
      } else {
        reject(ErrorCode.UNKNOWN_TYPE, "a client may not send " + typeName(frame) + " frames");
      }
    } catch (RuntimeException e) {
      // A bug in handling this connection's frame: close this connection only; the broker lives on.
      log.error("{} failed handling a {} frame; closing the connection", name, typeName(frame), e);
      fail(ErrorCode.INTERNAL_ERROR, "internal error; see the broker log for " + name);
    }
  }

  @Override
  public void onInvalidFrame(FrameException error) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (error.code().isFatal()) {
      fail(error.code(), error.getMessage());
    } else {
      reject(error.code(), error.getMessage());
    }
  }

  @Override
  public void onTruncated(int received, int expected) {
    // The close handler follows and gives the budget back (the decoder already did).
    log.debug("{} closed mid-frame ({} of {} bytes)", name, received, expected);
  }

  @Override
  public boolean isAwaitingRegister() {
    return state == State.AWAITING_REGISTER;
  }

  @Override
  public void refuseRegister(ErrorCode code, String message) {
    fail(code, message);
  }

  @Override
  public void readingChanged() {
    updateReading();
  }

  /** A register by a known principal: its permissions, then the quotas, then the broker's checks. */
  @Override
  public void register(Frame.Register register, Principal who) {
    String topic = register.topic() != null ? register.topic() : Broker.DEFAULT_TOPIC;
    boolean producer = register.role() == Frame.Role.PRODUCER;
    if (access.refusesRegister(who, register, topic)) {
      return;
    }
    UserQuotas quotas = context.quotas();
    boolean newTopic = !broker.hasTopic(topic);
    Subscription subscription = null;
    if (producer) {
      if (!broker.knowsTopic(topic)) {
        reject(ErrorCode.UNKNOWN_TOPIC, "no topic \"" + topic + "\" and auto_create_topics is off");
        return;
      }
      state = State.PRODUCER;
      producerTopic = topic;
    } else {
      String group = register.group() != null ? register.group() : Broker.DEFAULT_GROUP;
      if (access.refusesSubscribe(topic, group, ConsumePath.settings(register))) {
        return;
      }
      // Set before subscribing: the subscription delivers at once what is waiting.
      state = State.CONSUMER;
      subscription = consuming.subscribe(topic, group, register);
      if (subscription == null) {
        state = State.AWAITING_REGISTER;
        reject(ErrorCode.UNKNOWN_TOPIC, "no topic \"" + topic + "\" and auto_create_topics is off");
        return;
      }
      if (newTopic) {
        quotas.createdTopic(who);
      }
    }
    principal = who;
    quotas.openFor(who); // room checked above; closed() gives it back
    clientName = register.client();
    cancelRegisterTimer();
    log.info("{} registered as {} on topic={}{} from {} user={}", name(), register.role().wireName(), topic,
        subscription == null ? "" : " group=" + subscription.group(), socket.remoteAddress(), who.name());
  }

  /** Who this connection acts for: its user once registered; before that, the anonymous client where allowed. */
  private Principal actor() {
    return principal != null ? principal : context.authenticator().anonymous();
  }

  /** As {@link AccessChecks#refuses} for this connection's {@link #actor()}. */
  private boolean refuses(Permission permission, String topic) {
    Principal who = actor();
    if (who == null) {
      fail(ErrorCode.UNAUTHORIZED, "this broker serves no anonymous clients: register with \"user\" and \"password\" first");
      return true;
    }
    return access.refuses(who, permission, topic);
  }

  private void onPublish(Frame.Publish publish) {
    if (state == State.AWAITING_REGISTER) {
      fail(ErrorCode.NOT_REGISTERED, "send register before publish");
      return;
    }
    if (state != State.PRODUCER) {
      reject(ErrorCode.WRONG_ROLE, "only a producer may publish; this connection registered as consumer");
      return;
    }
    String topic = publish.topic() != null ? publish.topic() : producerTopic;
    if (access.refuses(principal, Permission.PUBLISH, topic) || access.refusesNewTopic(principal, topic)) {
      return;
    }
    publishing.publish(principal, topic, publish);
  }

  /** A {@code limit_reached}: a producer's in reply order; a register's at once. */
  private void answerLimitReached(Frame.Error error) {
    if (state == State.PRODUCER) {
      replies.answer(null, error);
    } else {
      send(error);
    }
  }

  /** The one way a reply leaves; replies of a connection closed meanwhile are dropped. */
  private void sendReply(Frame reply) {
    if (state == State.CLOSED) {
      return;
    }
    if (reply == Frame.Ok.INSTANCE) {
      outbound.addEncoded(OK_FRAME); // encoded once for every connection: the most frequent reply
    } else {
      send(reply);
    }
  }

  /** Checks the frame comes from a registered consumer; answers the peer if not. */
  private boolean isConsumer(String frameType) {
    if (state == State.AWAITING_REGISTER) {
      fail(ErrorCode.NOT_REGISTERED, "send register before " + frameType);
      return false;
    }
    if (state != State.CONSUMER) {
      reject(ErrorCode.WRONG_ROLE, "only a consumer may send " + frameType + "; this connection registered as producer");
      return false;
    }
    return true;
  }

  /** Reads the socket only while nothing holds it back; each reason to pause is one condition here. */
  private void updateReading() {
    if (state == State.CLOSED) {
      return;
    }
    if (pausedForWrites || publishing.isPaused() || histories.isPending() || registration.isAuthenticating()) {
      decoder.pause();
    } else {
      decoder.resume();
    }
  }

  /** Recoverable: reply in turn and keep the connection. */
  private void reject(ErrorCode code, String message) {
    log.debug("{} error {}: {}", name, code.wireName(), message);
    replies.answer(null, new Frame.Error(message, code));
  }

  /**
   * Fatal: read nothing more; reply after the replies still pending (so a producer learns which
   * earlier publishes were stored), then close once that is written.
   */
  private void fail(ErrorCode code, String message) {
    context.warnings().warn("{} closing: {} ({})", name, message, code.wireName());
    state = State.CLOSING;
    cancelRegisterTimer();
    decoder.pause();
    publishing.close(); // a publish held for room is dropped, not admitted after the error
    replies.answer(null, new Frame.Error(message, code));
    replies.then(() -> outbound.flush().onComplete(ar -> socket.close()));
  }

  private void send(Frame frame) {
    if (state != State.CLOSED) {
      outbound.add(frame);
    }
  }

  private boolean isBackedUp() {
    return outbound.isBackedUp();
  }

  /** A peer that does not read what it is sent stops being read until it drains: any state. */
  private void pauseIfRepliesBackUp() {
    if (state != State.CLOSED && !pausedForWrites && socket.writeQueueFull()) {
      pausedForWrites = true;
      updateReading();
    }
  }

  /** The socket took what was queued: replies waiting their turn go, reading and deliveries resume. */
  private void drained() {
    pausedForWrites = false;
    replies.sendReady();
    updateReading();
    if (state == State.CONSUMER) {
      consuming.writable();
    }
  }

  private void closed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    cancelRegisterTimer();
    decoder.close();
    consuming.close();
    if (principal != null) {
      context.quotas().closedFor(principal);
    }
    publishing.close();
    log.info("{} closed", name());
    onClosed.run();
  }

  private void cancelRegisterTimer() {
    if (registerTimer >= 0) {
      context.vertx().cancelTimer(registerTimer);
      registerTimer = -1;
    }
  }

  private static String typeName(Frame frame) {
    return frame.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
