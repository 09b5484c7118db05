package dev.courier.http;

import dev.courier.core.GroupChange;
import dev.courier.core.GroupStats;
import dev.courier.core.OrderingStats;
import dev.courier.core.Names;
import dev.courier.core.Publication;
import dev.courier.core.TopicStats;
import dev.courier.protocol.Frame;
import dev.courier.security.Permission;
import dev.courier.server.ConnectionSummary;
import dev.courier.server.StatsSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The read side of the JSON API under {@code /api/v1} (docs/HTTP.md): the broker's totals, topics
 * (searched, sorted and paged, so a dashboard stays usable with thousands), one topic with its
 * groups, one group, and the open connections. Every figure is that of the {@code stats} frame,
 * plus rates over the last minute.
 */
final class ApiRoutes {
  /** Topics one page lists at most: a page stays small to render and to send. */
  static final int MAX_PAGE = 1_000;
  static final int DEFAULT_PAGE = 50;
  /** Messages a peek shows unless told: a screenful. */
  static final int DEFAULT_PEEK = 20;

  private static final Map<String, Comparator<JsonObject>> SORTS = Map.of(
      "name", Comparator.comparing(t -> t.getString("name")),
      "published", Comparator.comparing(t -> t.getLong("published")),
      "retained", Comparator.comparing(t -> t.getLong("retained_messages")),
      "ready", Comparator.comparing(t -> t.getLong("ready")),
      "unacked", Comparator.comparing(t -> t.getLong("unacked")),
      "consumers", Comparator.comparing(t -> t.getLong("consumers")),
      "publish_rate", Comparator.comparing(t -> t.getDouble("publish_rate")));

  private final HttpVerticle http;

  ApiRoutes(HttpVerticle http) {
    this.http = http;
  }

  void mount(Router router) {
    router.get("/api/v1/overview").handler(this::overview);
    router.get("/api/v1/topics").handler(this::topics);
    router.get("/api/v1/topics/:topic").handler(this::topic);
    router.get("/api/v1/topics/:topic/groups").handler(this::groups);
    router.get("/api/v1/topics/:topic/groups/:group").handler(this::group);
    router.get("/api/v1/connections").handler(this::connections);
    router.get("/api/v1/topics/:topic/messages").handler(this::peek);
    router.post("/api/v1/topics/:topic/messages").handler(this::publish);
    router.post("/api/v1/topics/:topic/groups/:group/purge").handler(rc -> change(rc, GroupChange.Action.PURGE));
    router.post("/api/v1/topics/:topic/groups/:group/pause").handler(rc -> change(rc, GroupChange.Action.PAUSE));
    router.post("/api/v1/topics/:topic/groups/:group/resume").handler(rc -> change(rc, GroupChange.Action.RESUME));
    router.post("/api/v1/topics/:topic/redrive").handler(this::redrive);
    router.delete("/api/v1/topics/:topic/groups/:group").handler(this::deleteGroup);
  }

  private void overview(RoutingContext rc) {
    HttpVerticle.requireEverything(rc, Permission.ADMIN);
    http.stats().onSuccess(s -> {
      JsonArray history = new JsonArray();
      for (Rates.Point p : http.rates().history()) {
        history.add(new JsonArray().add(p.atMillis()).add(p.published()).add(p.delivered()).add(p.acked())
            .add(p.ready()).add(p.unacked()));
      }
      HttpVerticle.json(rc, 200, new JsonObject()
          .put("published", s.broker().published()).put("delivered", s.broker().delivered())
          .put("acked", s.broker().acked()).put("redelivered", s.broker().redelivered())
          .put("ready", s.broker().ready()).put("unacked", s.broker().inFlight())
          .put("consumers", s.broker().consumers()).put("connections", s.connections())
          .put("topics", s.topics().size()).put("draining", s.broker().draining())
          .put("history_fields", new JsonArray(List.of("time_ms", "published_per_s", "delivered_per_s",
              "acked_per_s", "ready", "unacked")))
          .put("history", history));
    }).onFailure(rc::fail);
  }

  private void topics(RoutingContext rc) {
    HttpVerticle.requireEverything(rc, Permission.ADMIN);
    String search = rc.queryParams().get("q") == null ? "" : rc.queryParams().get("q").toLowerCase(Locale.ROOT);
    String sort = rc.queryParams().get("sort") == null ? "name" : rc.queryParams().get("sort");
    Comparator<JsonObject> order = SORTS.get(sort);
    if (order == null) {
      throw ApiError.badRequest("sort must be one of " + String.join(", ", SORTS.keySet().stream().sorted().toList())
          + ", was \"" + sort + "\"");
    }
    String direction = rc.queryParams().get("order") == null ? "asc" : rc.queryParams().get("order");
    if (!direction.equals("asc") && !direction.equals("desc")) {
      throw ApiError.badRequest("order must be asc or desc, was \"" + direction + "\"");
    }
    Comparator<JsonObject> sorted = direction.equals("asc") ? order : order.reversed();
    int offset = intParam(rc, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(rc, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    http.stats().onSuccess(s -> {
      List<JsonObject> matching = s.topics().stream()
          .filter(t -> search.isEmpty() || t.name().toLowerCase(Locale.ROOT).contains(search))
          .map(t -> topicJson(t, false)).sorted(sorted.thenComparing(t -> t.getString("name"))).toList();
      JsonArray page = new JsonArray();
      matching.stream().skip(offset).limit(limit).forEach(page::add);
      HttpVerticle.json(rc, 200, new JsonObject().put("total", matching.size()).put("offset", offset)
          .put("limit", limit).put("topics", page));
    }).onFailure(rc::fail);
  }

  private void topic(RoutingContext rc) {
    String name = rc.pathParam("topic");
    HttpVerticle.require(rc, Permission.ADMIN, name);
    http.stats().map(s -> find(s, name)).onSuccess(t -> HttpVerticle.json(rc, 200, topicJson(t, true)))
        .onFailure(rc::fail);
  }

  private void groups(RoutingContext rc) {
    String name = rc.pathParam("topic");
    HttpVerticle.require(rc, Permission.ADMIN, name);
    http.stats().map(s -> find(s, name)).onSuccess(t -> HttpVerticle.json(rc, 200,
        new JsonObject().put("topic", name).put("groups", groupsJson(t)))).onFailure(rc::fail);
  }

  private void group(RoutingContext rc) {
    String name = rc.pathParam("topic");
    String group = rc.pathParam("group");
    HttpVerticle.require(rc, Permission.ADMIN, name);
    http.stats().map(s -> find(s, name).groups().stream().filter(g -> g.name().equals(group)).findFirst()
            .orElseThrow(() -> ApiError.unknownGroup(name, group)))
        .onSuccess(found -> HttpVerticle.json(rc, 200, groupJson(name, found))).onFailure(rc::fail);
  }

  /**
   * Publishes one message, answered once stored (like NSQ's {@code /pub}). A JSON body
   * ({@code Content-Type: application/json}) carries {@code payload} and optional {@code key},
   * {@code headers}, {@code encoding} and the life-cycle fields; any other body is the payload itself, as UTF-8 text.
   */
  private void publish(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    if (!Names.isValid(topic)) {
      throw new ApiError(400, "invalid_name", "topic \"" + topic + "\" must be " + Names.DESCRIPTION);
    }
    HttpVerticle.require(rc, Permission.PUBLISH, topic);
    Publication publication = PublishBody.parse(topic, rc.request().getHeader("Content-Type"), rc.body().buffer());
    http.here(http.broker().publish(rc.get("principal"), publication))
        .onSuccess(stored -> HttpVerticle.json(rc, 200, PublishBody.reply(topic, stored)))
        .onFailure(e -> rc.fail(e instanceof PublishRefused refused ? refused.toApiError() : e));
  }

  /** Purge, pause or resume one group: {@code admin} on its topic; the core decides the rest. */
  private void change(RoutingContext rc, GroupChange.Action action) {
    String topic = rc.pathParam("topic");
    String group = rc.pathParam("group");
    HttpVerticle.require(rc, Permission.ADMIN, topic);
    http.here(http.broker().changeGroup(topic, group, action)).map(change -> refusedOrDone(change, topic, group))
        .onSuccess(change -> {
      JsonObject answer = new JsonObject().put("topic", topic).put("group", group);
      switch (action) {
        case PURGE -> answer.put("purged", change.messages());
        case PAUSE -> answer.put("paused", true);
        case RESUME -> answer.put("paused", false);
      }
      HttpVerticle.json(rc, 200, answer);
    }).onFailure(rc::fail);
  }

  /**
   * Moves dead letters of a dead-letter topic back to the topics they came from, as the
   * {@code redrive} frame does (docs/PROTOCOL.md): {@code admin} on the dead-letter topic; without
   * {@code limit}, all it holds in memory up to what one redrive moves. A topic that got no dead
   * letters moves 0.
   */
  private void redrive(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    HttpVerticle.require(rc, Permission.ADMIN, topic);
    int limit = intParam(rc, "limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    http.here(http.broker().redrive(topic, limit)).map(moved -> {
      if (moved == null) {
        throw ApiError.unknownTopic(topic);
      }
      return moved;
    }).onSuccess(moved -> HttpVerticle.json(rc, 200, new JsonObject().put("topic", topic).put("moved", moved)))
        .onFailure(rc::fail);
  }

  /** Deletes a group without consumers, durably: {@code admin} on its topic; 409 while it has consumers. */
  private void deleteGroup(RoutingContext rc) {
    String topic = rc.pathParam("topic");
    String group = rc.pathParam("group");
    HttpVerticle.require(rc, Permission.ADMIN, topic);
    http.here(http.broker().deleteGroup(topic, group)).map(change -> refusedOrDone(change, topic, group))
        .onSuccess(change -> HttpVerticle.json(rc, 200, new JsonObject().put("topic", topic).put("group", group)
            .put("deleted", true).put("dropped", change.messages())))
        .onFailure(rc::fail);
  }

  private static GroupChange refusedOrDone(GroupChange change, String topic, String group) {
    return switch (change.outcome()) {
      case UNKNOWN_TOPIC -> throw ApiError.unknownTopic(topic);
      case UNKNOWN_GROUP -> throw ApiError.unknownGroup(topic, group);
      case HAS_CONSUMERS -> throw new ApiError(409, "group_has_consumers", "group \"" + group + "\" of topic \""
          + topic + "\" has consumers: stop them (or pause the group and let them go) before deleting it");
      case BUSY -> throw new ApiError(409, "group_busy", "group \"" + group + "\" of topic \"" + topic
          + "\" has a dead letter on its way to storage; try again in a moment");
      case DONE -> change;
    };
  }

  /** Retained messages, oldest first, without consuming them: what a {@code history} frame reads. */
  private void peek(RoutingContext rc) {
    String name = rc.pathParam("topic");
    HttpVerticle.require(rc, Permission.CONSUME, name);
    int limit = intParam(rc, "limit", DEFAULT_PEEK, 1, Frame.History.MAX_LIMIT);
    long from = longParam(rc, "from", -1);
    http.here(http.broker().history(name, from, limit)).map(reply -> {
      if (reply == null) {
        throw ApiError.unknownTopic(name);
      }
      return reply;
    }).onSuccess(reply -> {
      JsonArray messages = new JsonArray();
      for (Frame.HistoryMessage m : reply.messages()) {
        messages.add(new JsonObject().put("id", m.id()).put("timestamp_ms", m.timestampMillis()).put("key", m.key())
            .put("headers", m.headers() == null ? null : new JsonObject(new java.util.LinkedHashMap<>(m.headers())))
            .put("encoding", m.encoding() == null ? "text" : "base64").put("payload", m.payload()));
      }
      HttpVerticle.json(rc, 200, new JsonObject().put("topic", name).put("messages", messages)
          .put("next_id", reply.nextId()));
    }).onFailure(rc::fail);
  }

  private void connections(RoutingContext rc) {
    HttpVerticle.requireEverything(rc, Permission.ADMIN);
    http.here(http.broker().connectionSummaries()).onSuccess(list -> {
      JsonArray rows = new JsonArray();
      for (ConnectionSummary c : list) {
        rows.add(new JsonObject().put("id", c.id()).put("role", c.role()).put("topic", c.topic())
            .put("group", c.group()).put("remote_address", c.remoteAddress()).put("user", c.user())
            .put("client", c.client()).put("credit", c.credit()).put("in_flight", c.inFlight()));
      }
      HttpVerticle.json(rc, 200, new JsonObject().put("connections", rows));
    }).onFailure(rc::fail);
  }

  static TopicStats find(StatsSnapshot snapshot, String name) {
    return snapshot.topics().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> ApiError.unknownTopic(name));
  }

  private JsonObject topicJson(TopicStats t, boolean withGroups) {
    long ready = 0;
    long unacked = 0;
    long consumers = 0;
    for (GroupStats g : t.groups()) {
      ready += g.ready();
      unacked += g.inFlight();
      consumers += g.consumers();
    }
    JsonObject json = new JsonObject().put("name", t.name()).put("published", t.published())
        .put("retained_messages", t.retainedMessages()).put("retained_bytes", t.retainedBytes())
        .put("resident_bytes", t.residentBytes()).put("full", t.full()).put("group_count", t.groups().size())
        .put("ready", ready).put("unacked", unacked).put("consumers", consumers)
        .put("publish_rate", round(http.rates().publishRate(t.name()))).put("delayed", t.delayed());
    return withGroups ? json.put("groups", groupsJson(t)) : json;
  }

  private JsonArray groupsJson(TopicStats t) {
    JsonArray groups = new JsonArray();
    t.groups().forEach(g -> groups.add(groupJson(t.name(), g)));
    return groups;
  }

  private JsonObject groupJson(String topic, GroupStats g) {
    double[] rates = http.rates().groupRates(topic, g.name());
    return orderingJson(new JsonObject().put("topic", topic).put("name", g.name()).put("ready", g.ready())
        .put("unacked", g.inFlight()).put("consumers", g.consumers()).put("delivered", g.delivered())
        .put("acked", g.acked()).put("redelivered", g.redelivered())
        .put("oldest_ready_age_ms", g.oldestReadyAgeMillis()).put("paused", http.isPaused(topic, g.name()))
        .put("dead_lettered", g.deadLettered()).put("expired", g.expired())
        .put("deliver_rate", round(rates[0])).put("ack_rate", round(rates[1])).put("redeliver_rate", round(rates[2])),
        g.ordering());
  }

  /** An ordered group's "ordering", as in stats_reply (docs/PROTOCOL.md, "Ordering"); nothing for others. */
  private static JsonObject orderingJson(JsonObject group, OrderingStats o) {
    if (o == null) {
      return group;
    }
    JsonObject json = new JsonObject().put("mode", o.mode());
    if (o.blockedKeys() != null) {
      json.put("blocked_keys", o.blockedKeys()).put("blocked_key_samples", new JsonArray(o.blockedKeySamples()))
          .put("keys_in_flight", o.keysInFlight()).put("waiting", o.waiting());
    }
    if (o.activeConsumer() != null) {
      json.put("active_consumer", o.activeConsumer());
    }
    return group.put("ordering", json);
  }

  private static double round(double perSecond) {
    return Math.round(perSecond * 100) / 100.0;
  }

  private static long longParam(RoutingContext rc, String name, long fallback) {
    String value = rc.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // the message below says what is allowed
    }
    throw ApiError.badRequest(name + " must be a message id (a whole number, at least 0), was \"" + value + "\"");
  }

  private static int intParam(RoutingContext rc, String name, int fallback, int min, int max) {
    String value = rc.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // the message below says what is allowed
    }
    throw ApiError.badRequest(name + " must be a whole number from " + min + " to " + max + ", was \"" + value + "\"");
  }
}
