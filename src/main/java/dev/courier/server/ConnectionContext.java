package dev.courier.server;

import dev.courier.config.BrokerConfig;
import dev.courier.core.Broker;
import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameBudget;
import dev.courier.core.WarnLimiter;
import dev.courier.security.UserQuotas;
import io.vertx.core.Vertx;
import java.util.function.Function;

/** What every connection of one broker shares; all of it lives on the broker's event loop. */
record ConnectionContext(Vertx vertx, Broker broker, BrokerConfig config, WarnLimiter warnings,
    Function<Frame.Stats, Object> statsPage, FrameBudget frameBudget, Runnable frameReceived,
    Authenticator authenticator, UserQuotas quotas) {}
