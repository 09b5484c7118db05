package dev.courier.server;

import dev.courier.config.BrokerConfig;
import dev.courier.core.Broker;
import dev.courier.core.GroupChange;
import dev.courier.core.Publication;
import dev.courier.core.PublishRefusal;
import dev.courier.http.PublishRefused;
import dev.courier.security.Principal;
import dev.courier.security.UserQuotas;
import dev.courier.http.BrokerView;
import dev.courier.protocol.Frame;
import dev.courier.storage.MessageStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The broker as the HTTP listener sees it (issue 15): each answer is taken on the broker's loop,
 * where the core and the connections live, and handed over as a snapshot. The listener's rules
 * (what it shows, who may ask) are its own; this only reads.
 */
final class HttpBrokerView implements BrokerView {
  /** What the view reads, all owned by the broker's loop. {@code store} is null with memory storage. */
  record Parts(Context context, BrokerConfig config, Broker broker, Map<Long, Connection> connections,
      MessageStore store, UserQuotas quotas, Supplier<StatsSnapshot> snapshot, BooleanSupplier isStopping) {}

  private final Parts parts;

  HttpBrokerView(Parts parts) {
    this.parts = parts;
  }

  @Override
  public Future<StatsSnapshot> snapshotStats() {
    return onLoop(promise -> promise.complete(parts.snapshot().get()));
  }

  @Override
  public Future<List<ConnectionSummary>> connectionSummaries() {
    return onLoop(promise -> promise.complete(parts.connections().values().stream().map(Connection::summary).toList()));
  }

  @Override
  public Future<Frame.HistoryReply> history(String topic, long fromId, int limit) {
    return onLoop(promise -> {
      Broker broker = parts.broker();
      if (!broker.hasTopic(topic)) {
        promise.complete(null);
        return;
      }
      int maxFrameBytes = parts.config().maxFrameBytes();
      broker.history(topic, fromId, limit, maxFrameBytes,
          messages -> promise.complete(HistoryPage.reply(topic, messages, broker.nextId(topic), maxFrameBytes)));
    });
  }

  @Override
  public Future<Published> publish(Principal who, Publication publication) {
    return onLoop(promise -> {
      Broker broker = parts.broker();
      String topic = publication.topic();
      boolean newTopic = !broker.hasTopic(topic);
      // The per-user topic quota is the adapter's, as for a producer connection (AccessChecks).
      if (newTopic && broker.knowsTopic(topic) && !parts.quotas().mayCreateTopic(who)) {
        promise.fail(new PublishRefused(PublishRefusal.TOO_MANY_TOPICS, "topic \"" + topic + "\" would be new, and user \""
            + who.name() + "\" has created max_topics_per_user (" + parts.quotas().maxTopicsPerUser() + ") topics"));
        return;
      }
      HttpPublish.publish(parts.context().owner(), broker, parts.config(), publication, promise);
      if (newTopic && broker.hasTopic(topic)) {
        parts.quotas().createdTopic(who);
      }
    });
  }

  @Override
  public Future<GroupChange> changeGroup(String topic, String group, GroupChange.Action action) {
    return onLoop(promise -> promise.complete(parts.broker().changeGroup(topic, group, action)));
  }

  @Override
  public Future<GroupChange> deleteGroup(String topic, String group) {
    return onLoop(promise -> promise.complete(parts.broker().deleteGroup(topic, group)));
  }

  @Override
  public Future<Long> redrive(String topic, int limit) {
    return onLoop(promise -> {
      if (!parts.broker().hasTopic(topic)) {
        promise.complete(null);
        return;
      }
      parts.broker().redrive(topic, limit, promise::complete);
    });
  }

  @Override
  public Future<Set<String>> pausedGroups() {
    return onLoop(promise -> promise.complete(parts.broker().pausedGroups()));
  }

  @Override
  public Future<String> notReadyReason() {
    return onLoop(promise -> {
      MessageStore store = parts.store();
      if (parts.isStopping().getAsBoolean()) {
        promise.complete("draining: the broker is shutting down");
      } else if (store != null && store.isFailed()) {
        promise.complete("storage failed: see the broker log");
      } else if (store == null) {
        promise.complete(null);
      } else {
        Path dir = Path.of(parts.config().dataDir());
        parts.context().owner().executeBlocking(() -> Files.isWritable(dir)).onComplete(ar -> promise.complete(
            ar.succeeded() && ar.result() ? null : "data_dir " + dir + " is not writable"));
      }
    });
  }

  @Override
  public Map<String, Long> storageLogBytes() {
    return parts.store() == null ? null : parts.store().logBytes();
  }

  @Override
  public void observeForces(LongConsumer fsyncNanos) {
    if (parts.store() != null) {
      parts.store().observeForces(fsyncNanos);
    }
  }

  private <T> Future<T> onLoop(java.util.function.Consumer<Promise<T>> task) {
    Promise<T> promise = Promise.promise();
    parts.context().runOnContext(v -> task.accept(promise));
    return promise.future();
  }
}
