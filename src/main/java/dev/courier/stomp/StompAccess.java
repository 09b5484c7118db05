package dev.courier.stomp;

import dev.courier.core.Broker;
import dev.courier.core.SubscribeCheck;
import dev.courier.security.Permission;
import dev.courier.security.Principal;

/**
 * What a STOMP connection's user may do (docs/SECURITY.md): the permission for a topic, the topic
 * quotas, and whether a group may be created. Each check gives the reason for the ERROR, or null.
 */
final class StompAccess {
  private final String name;
  private final StompContext context;
  private final Broker broker;

  StompAccess(String name, StompContext context) {
    this.name = name;
    this.context = context;
    this.broker = context.broker();
  }

  /** Why {@code who} may not SEND to {@code topic}; null when it may. */
  String sendProblem(Principal who, String topic) {
    String problem = permissionProblem(who, Permission.PUBLISH, topic);
    return problem != null ? problem : newTopicProblem(who, topic);
  }

  /** Why {@code who} may not SUBSCRIBE to {@code topic} in {@code group}; null when it may. */
  String subscribeProblem(Principal who, String topic, String group) {
    String problem = permissionProblem(who, Permission.CONSUME, topic);
    if (problem == null) {
      problem = newTopicProblem(who, topic);
    }
    if (problem != null) {
      return problem;
    }
    SubscribeCheck check = broker.checkSubscribe(topic, group);
    return switch (check) {
      case ALLOWED -> null;
      case UNKNOWN_TOPIC -> "no topic \"" + topic + "\" and auto_create_topics is off";
      case TOO_MANY_TOPICS -> "cannot create topic \"" + topic + "\": max_topics=" + context.config().maxTopics()
          + " reached";
      case TOO_MANY_GROUPS -> "cannot create group \"" + group + "\" on topic \"" + topic + "\": max_groups_per_topic="
          + context.config().maxGroupsPerTopic() + " reached";
    };
  }

  private String permissionProblem(Principal who, Permission permission, String topic) {
    if (who.permissions().allows(permission, topic)) {
      return null;
    }
    context.warnings().warn("{} forbidden: user={} may not {} topic={}", name, who.name(), permission.key(), topic);
    return "user \"" + who.name() + "\" may not " + permission.key() + " topic \"" + topic + "\"";
  }

  private String newTopicProblem(Principal who, String topic) {
    if (broker.hasTopic(topic) || !broker.knowsTopic(topic) || context.quotas().mayCreateTopic(who)) {
      return null;
    }
    return "cannot create topic \"" + topic + "\" as user \"" + who.name() + "\": max_topics_per_user="
        + context.quotas().maxTopicsPerUser() + " reached";
  }
}
