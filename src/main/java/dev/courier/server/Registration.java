package dev.courier.server;

import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.security.Principal;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who registers (docs/SECURITY.md): the certificate's user, the anonymous client, or a user whose
 * password is checked off the loop; meanwhile the connection is not read, so that no later frame
 * of it is handled before the register's outcome. What the register then makes of the connection
 * is the connection's ({@link Registrant#register}). Used on the connection's event loop only.
 */
final class Registration {
  // Connection's logger: these lines are the connection's, and keep the name operators filter on.
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  /** The connection as a register sees it. */
  interface Registrant {
    boolean isAwaitingRegister();

    /** {@code who} is known: check what it asks for and become a producer or consumer. */
    void register(Frame.Register register, Principal who);

    /** Fatal: answer and close. */
    void refuseRegister(ErrorCode code, String message);

    /** Whether the connection is read may have changed ({@link #isAuthenticating()}). */
    void readingChanged();
  }

  private final String name;
  private final ConnectionContext context;
  private final Registrant connection;
  /** The subject CN of the verified client certificate, or null. */
  private final String tlsUser;
  private final String remoteHost;
  private boolean authenticating;

  Registration(String name, ConnectionContext context, Registrant connection, String tlsUser, String remoteHost) {
    this.name = name;
    this.context = context;
    this.connection = connection;
    this.tlsUser = tlsUser;
    this.remoteHost = remoteHost;
  }

  /** The peer's address, for the login throttle. */
  static String remoteHost(NetSocket socket) {
    return socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
  }

  /** A password is being checked: the connection is not read. */
  boolean isAuthenticating() {
    return authenticating;
  }

  void handle(Frame.Register register) {
    if (!connection.isAwaitingRegister()) {
      connection.refuseRegister(ErrorCode.ALREADY_REGISTERED, "this connection is already registered");
      return;
    }
    if (!register.hasCredentials()) {
      // With mutual TLS the certificate's CN is the user, and needs no password.
      Principal who = tlsUser != null ? context.authenticator().certified(tlsUser)
          : context.authenticator().anonymous();
      if (who == null) {
        connection.refuseRegister(ErrorCode.UNAUTHORIZED, tlsUser != null
            ? "no user \"" + tlsUser + "\" for this certificate"
            : "this broker serves no anonymous clients: register with \"user\" and \"password\"");
      } else {
        connection.register(register, who);
      }
      return;
    }
    authenticating = true;
    connection.readingChanged();
    context.authenticator().login(register, remoteHost, name).onComplete(login -> {
      authenticating = false;
      if (!connection.isAwaitingRegister()) {
        return; // closed, or timed out, meanwhile
      }
      try {
        if (login.failed()) {
          connection.refuseRegister(ErrorCode.UNAUTHORIZED, login.cause().getMessage());
          return;
        }
        connection.register(register, login.result());
        connection.readingChanged();
      } catch (RuntimeException e) {
        log.error("{} failed completing a register; closing the connection", name, e);
        connection.refuseRegister(ErrorCode.INTERNAL_ERROR, "internal error; see the broker log for " + name);
      }
    });
  }
}
