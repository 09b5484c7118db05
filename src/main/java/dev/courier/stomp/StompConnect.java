package dev.courier.stomp;

import dev.courier.security.Principal;
import io.vertx.ext.stomp.Command;
import io.vertx.ext.stomp.Frame;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's CONNECT or STOMP frame: the version, then who (docs/SECURITY.md's users, the
 * per-user connection quota), then the CONNECTED frame with the agreed heart-beat. Kept apart from
 * {@link StompConnection} so that the connection holds only its state machine and socket.
 */
final class StompConnect {
  private static final Logger log = LoggerFactory.getLogger(StompConnect.class);

  /** What the handshake asks of its connection. */
  interface Session {
    /** A login is under way: handle no further frame until it ends. */
    void connecting();

    /** False once the connection closed (or failed) while a login was under way. */
    boolean isConnecting();

    /** Connected as {@code who}: write {@code connected} and handle frames again. */
    void connected(Principal who, Frame connected);

    void fail(String message, Frame frame);

    void failWith(Frame error);
  }

  private final String name;
  private final String remoteHost;
  private final StompContext context;
  private final StompHeartBeat heartBeat;
  private final Session session;
  private String version = "1.2";

  StompConnect(String name, String remoteHost, StompContext context, StompHeartBeat heartBeat, Session session) {
    this.name = name;
    this.remoteHost = remoteHost;
    this.context = context;
    this.heartBeat = heartBeat;
    this.session = session;
  }

  /** The negotiated version; 1.2 until CONNECT says otherwise. */
  String version() {
    return version;
  }

  void connect(Frame frame) {
    version = StompVersions.negotiate(frame.getHeader(Frame.ACCEPT_VERSION));
    if (version == null) {
      Frame error = StompFrames.error("no common STOMP version: this broker speaks " + StompVersions.SUPPORTED, frame);
      error.getHeaders().put(Frame.VERSION, StompVersions.SUPPORTED);
      session.failWith(error);
      return;
    }
    String login = frame.getHeader(Frame.LOGIN);
    String passcode = frame.getHeader(Frame.PASSCODE);
    if (login == null && passcode == null) {
      Principal who = context.logins().anonymous();
      if (who == null) {
        session.fail("this broker serves no anonymous clients: CONNECT with login and passcode", frame);
      } else {
        admit(frame, who);
      }
      return;
    }
    session.connecting();
    context.logins().login(login, passcode, remoteHost, name).onComplete(result -> {
      if (!session.isConnecting()) {
        return; // closed meanwhile
      }
      if (result.failed()) {
        session.fail(result.cause().getMessage(), frame);
        return;
      }
      admit(frame, result.result());
    });
  }

  private void admit(Frame frame, Principal who) {
    if (!context.quotas().mayOpenFor(who)) {
      session.fail("user \"" + who.name() + "\" has max_connections_per_user=" + context.quotas().maxConnectionsPerUser()
          + " connections already", frame);
      return;
    }
    String agreed = heartBeat.negotiate(frame.getHeader(Frame.HEARTBEAT));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(Frame.VERSION, version);
    headers.put(Frame.HEARTBEAT, agreed);
    headers.put(Frame.SERVER, "Courier");
    headers.put(Frame.SESSION, name);
    session.connected(who, new Frame(Command.CONNECTED, headers, null));
    log.info("{} connected with STOMP {} from {} user={} heart-beat={}", name, version, remoteHost, who.name(), agreed);
  }
}
