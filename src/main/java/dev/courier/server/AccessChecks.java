package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.GroupSettings;
import dev.courier.core.Ordering;
import dev.courier.core.SubscribeCheck;
import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import dev.courier.security.Permission;
import dev.courier.security.Principal;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One connection's refusals of what its user may not do (docs/SECURITY.md): the permission model's
 * {@code forbidden} and the quotas' {@code limit_reached}. Every check answers the peer itself and
 * returns true when it refused; the connection stays. Kept apart from {@link Connection} so that it
 * reads as the socket's state machine. Used on the connection's event loop only.
 */
final class AccessChecks {
  private final String name;
  private final ConnectionContext context;
  private final Broker broker;
  /** A recoverable error in reply order: the connection's reject. */
  private final BiConsumer<ErrorCode, String> reject;
  /** A {@code limit_reached} answer: in reply order for a producer, at once otherwise. */
  private final Consumer<Frame.Error> answerLimit;

  AccessChecks(String name, ConnectionContext context, BiConsumer<ErrorCode, String> reject,
      Consumer<Frame.Error> answerLimit) {
    this.name = name;
    this.context = context;
    this.broker = context.broker();
    this.reject = reject;
    this.answerLimit = answerLimit;
  }

  /**
   * The one place that asks the permission model (docs/SECURITY.md) and answers: {@code forbidden},
   * in reply order, when {@code who} may not do {@code permission} on {@code topic} (null: the
   * broker-wide stats). The connection stays. True when refused.
   */
  boolean refuses(Principal who, Permission permission, String topic) {
    boolean allowed = topic == null ? who.permissions().mayReadStats() : who.permissions().allows(permission, topic);
    if (allowed) {
      return false;
    }
    String what = topic == null ? "read the stats of every topic (needs admin on \"*\")"
        : permission.key() + " topic \"" + topic + "\"";
    context.warnings().warn("{} forbidden: user={} may not {}", name, who.name(), what);
    reject.accept(ErrorCode.FORBIDDEN, "user \"" + who.name() + "\" may not " + what);
    return true;
  }

  /**
   * A register's permissions, then its quotas: whether {@code who} may register as asked on
   * {@code topic}. A producer's topic is checked here only when named; the default one at each
   * publish. True when refused (answered).
   */
  boolean refusesRegister(Principal who, Frame.Register register, String topic) {
    boolean producer = register.role() == Frame.Role.PRODUCER;
    if ((!producer || register.topic() != null)
        && refuses(who, producer ? Permission.PUBLISH : Permission.CONSUME, topic)) {
      return true;
    }
    if (!producer && refusesNewTopic(who, topic)) {
      return true;
    }
    if (!context.quotas().mayOpenFor(who)) {
      refuseOverUserConnections(who);
      return true;
    }
    return false;
  }

  /** {@code limit_reached} when {@code topic} is new and {@code who} has created max_topics_per_user. */
  boolean refusesNewTopic(Principal who, String topic) {
    if (broker.hasTopic(topic) || !broker.knowsTopic(topic) || context.quotas().mayCreateTopic(who)) {
      return false;
    }
    refuseOverQuota("topic \"" + topic + "\" as user \"" + who.name() + "\"", "max_topics_per_user",
        context.quotas().maxTopicsPerUser());
    return true;
  }

  /** A register past max_connections_per_user: refused, the connection stays unregistered and may retry. */
  void refuseOverUserConnections(Principal who) {
    int limit = context.quotas().maxConnectionsPerUser();
    context.warnings().warn("{} refused to register user={}: max_connections_per_user={} reached", name, who.name(), limit);
    reject.accept(ErrorCode.LIMIT_REACHED, "user \"" + who.name() + "\" has max_connections_per_user=" + limit
        + " registered connections already; close one and register again");
  }

  /** Answers a consumer's register the broker would refuse; it stays unregistered and may retry. */
  boolean refusesSubscribe(String topic, String group, GroupSettings settings) {
    Ordering existing = broker.orderingOf(topic, group);
    if (existing != null && settings.ordering() != null && settings.ordering() != existing) {
      reject.accept(ErrorCode.GROUP_CONFLICT, "group \"" + group + "\" of topic \"" + topic + "\" exists with ordering "
          + existing.name().toLowerCase(java.util.Locale.ROOT) + "; a group keeps the ordering it was created with:"
          + " register without \"ordering\" or with that one to join it, or name another group");
      return true;
    }
    if (!broker.admitsGroupSettings(topic, group, settings)) {
      // Kept as it was before group_conflict existed (a code never changes meaning): other settings are a bad request.
      reject.accept(ErrorCode.BAD_REQUEST, "group \"" + group + "\" of topic \"" + topic + "\" exists with other"
          + " max_deliveries or dead_letter_topic than this register asks for; a group keeps the ones it was created"
          + " with: register without them to join it, or name another group");
      return true;
    }
    SubscribeCheck check = broker.checkSubscribe(topic, group);
    switch (check) {
      case ALLOWED -> { }
      case UNKNOWN_TOPIC -> reject.accept(ErrorCode.UNKNOWN_TOPIC, "no topic \"" + topic + "\" and auto_create_topics is off");
      case TOO_MANY_TOPICS -> refuseOverQuota("topic \"" + topic + "\"", "max_topics", context.config().maxTopics());
      case TOO_MANY_GROUPS -> refuseOverQuota("group \"" + group + "\" on topic \"" + topic + "\"",
          "max_groups_per_topic", context.config().maxGroupsPerTopic());
    }
    return check != SubscribeCheck.ALLOWED;
  }

  /** {@code limit_reached}: creating {@code what} would pass a quota; what exists keeps working. */
  void refuseOverQuota(String what, String setting, int limit) {
    answerLimit.accept(overQuota(what, setting, limit));
  }

  /** The {@code limit_reached} error of {@link #refuseOverQuota}, logged, for the caller to answer in its place. */
  Frame.Error overQuota(String what, String setting, int limit) {
    context.warnings().warn("{} refused to create {}: {}={} reached", name, what, setting, limit);
    String message = "cannot create " + what + ": " + setting + "=" + limit + " reached; existing ones keep working";
    return new Frame.Error(message, ErrorCode.LIMIT_REACHED);
  }
}
