package dev.courier.server;

import dev.courier.config.BrokerConfig;
import dev.courier.core.Broker;
import dev.courier.core.WarnLimiter;
import dev.courier.protocol.Frame;
import dev.courier.security.Principal;
import dev.courier.security.UserQuotas;
import dev.courier.stomp.StompContext;
import dev.courier.stomp.StompListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Starts the STOMP listener (issue 16) with what it needs of this package: the users and the TLS
 * settings. Kept apart so that the broker verticle only calls {@link #start}.
 */
final class StompBridge {
  private StompBridge() {}

  /** The listener, listening; null when {@code stomp_port} is -1. */
  static Future<StompListener> start(Vertx vertx, Broker broker, BrokerConfig config, WarnLimiter warnings,
      UserQuotas quotas, Authenticator authenticator) {
    if (!config.isStompEnabled()) {
      return Future.succeededFuture(null);
    }
    StompContext.Logins logins = new StompContext.Logins() {
      @Override
      public Principal anonymous() {
        return authenticator.anonymous();
      }

      @Override
      public Future<Principal> login(String user, String passcode, String address, String connection) {
        // The same check, throttle and log line as a register with credentials.
        Frame.Register register = new Frame.Register(Frame.Role.CONSUMER, null, null, null, null, null, false,
            user, passcode);
        return authenticator.login(register, address, connection);
      }
    };
    StompListener listener = new StompListener(new StompContext(vertx, broker, config, warnings, quotas, logins,
        options -> ServerTls.apply(config, options)));
    return listener.listen().map(listener);
  }
}
