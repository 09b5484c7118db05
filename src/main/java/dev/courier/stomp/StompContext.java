package dev.courier.stomp;

import dev.courier.config.BrokerConfig;
import dev.courier.core.Broker;
import dev.courier.core.WarnLimiter;
import dev.courier.security.Principal;
import dev.courier.security.UserQuotas;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import java.util.function.UnaryOperator;

/**
 * What the STOMP listener shares with the broker it serves; all of it lives on the broker's event
 * loop. The server package builds it, so that this package needs nothing of that one's internals.
 *
 * @param tls applies the broker's TLS settings to a server's options (the same as the broker port's)
 */
public record StompContext(Vertx vertx, Broker broker, BrokerConfig config, WarnLimiter warnings, UserQuotas quotas,
    Logins logins, UnaryOperator<NetServerOptions> tls) {

  /** Who a CONNECT is, through the broker's users (docs/SECURITY.md). */
  public interface Logins {
    /** The anonymous client, or null where anonymous clients are refused. */
    Principal anonymous();

    /** The user these credentials name, completed on the loop; failed with a message for the client. */
    Future<Principal> login(String user, String passcode, String address, String connection);
  }
}
