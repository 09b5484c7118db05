package dev.courier.http;

import dev.courier.core.GroupStats;
import dev.courier.core.TopicStats;
import dev.courier.server.StatsSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The broker's figures as Micrometer meters, named the way rabbitmq_prometheus users know them
 * ({@code courier_messages_published_total{topic}} and so on; docs/HTTP.md lists them). Every meter
 * reads the last {@link StatsSnapshot} the broker's loop took, which {@link #update} swaps in right
 * before a scrape: the counters are the core's own, nothing is counted twice, no message is walked.
 * Meters of topics and groups that are gone are removed. Touched only on the HTTP listener's loop
 * (the fsync timer, thread-safe, is recorded by the storage thread).
 */
final class BrokerMeters {
  private final MeterRegistry registry;
  private final Map<String, TopicStats> topics = new HashMap<>();
  private final Map<String, GroupStats> groups = new HashMap<>();
  private final Map<String, List<Meter>> metersByKey = new HashMap<>();
  private final Timer fsync;
  private int connections;

  BrokerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("courier.connections", this, m -> m.connections).description("open client connections")
        .register(registry);
    // Fifteen buckets from 100 µs (an SSD's cache) to 10 s (a disk that is failing): enough to see
    // a slowing disk, few enough that a scrape stays small (a percentile histogram has seventy).
    fsync = Timer.builder("courier.storage.fsync").description("time of one storage force (fsync) of a topic's logs")
        .serviceLevelObjectives(millis(0.1), millis(0.25), millis(0.5), millis(1), millis(2.5), millis(5),
            millis(10), millis(25), millis(50), millis(100), millis(250), millis(500), millis(1_000),
            millis(2_500), millis(10_000))
        .register(registry);
  }

  private static Duration millis(double millis) {
    return Duration.ofNanos((long) (millis * 1_000_000));
  }

  void recordFsync(long nanos) {
    fsync.record(nanos, TimeUnit.NANOSECONDS);
  }

  void update(StatsSnapshot snapshot) {
    connections = snapshot.connections();
    Map<String, Boolean> seen = new HashMap<>();
    for (TopicStats topic : snapshot.topics()) {
      String topicKey = topic.name();
      seen.put(topicKey, true);
      if (topics.put(topicKey, topic) == null) {
        registerTopic(topic.name());
      }
      for (GroupStats group : topic.groups()) {
        String groupKey = topic.name() + '\u0000' + group.name();
        seen.put(groupKey, true);
        if (groups.put(groupKey, group) == null) {
          registerGroup(topic.name(), group.name(), groupKey);
        }
      }
    }
    for (String key : new ArrayList<>(metersByKey.keySet())) {
      if (!seen.containsKey(key)) {
        metersByKey.remove(key).forEach(registry::remove);
        topics.remove(key);
        groups.remove(key);
      }
    }
  }

  private void registerTopic(String topic) {
    Tags tags = Tags.of("topic", topic);
    List<Meter> meters = new ArrayList<>();
    meters.add(FunctionCounter.builder("courier.messages.published", this, topicFigure(topic, TopicStats::published))
        .description("messages stored to the topic").tags(tags).register(registry));
    meters.add(Gauge.builder("courier.topic.retained.bytes", this, topicFigure(topic, TopicStats::retainedBytes))
        .description("payload bytes the topic retains (not yet acked by every group)").tags(tags).register(registry));
    meters.add(Gauge.builder("courier.topic.retained.messages", this,
        topicFigure(topic, TopicStats::retainedMessages)).description("messages the topic retains").tags(tags)
        .register(registry));
    metersByKey.put(topic, meters);
  }

  private void registerGroup(String topic, String group, String key) {
    Tags tags = Tags.of("topic", topic, "group", group);
    List<Meter> meters = new ArrayList<>();
    meters.add(FunctionCounter.builder("courier.messages.delivered", this, groupFigure(key, GroupStats::delivered))
        .description("deliveries to the group's consumers, redeliveries included").tags(tags).register(registry));
    meters.add(FunctionCounter.builder("courier.messages.acked", this, groupFigure(key, GroupStats::acked))
        .description("messages the group's consumers acked").tags(tags).register(registry));
    meters.add(FunctionCounter.builder("courier.messages.redelivered", this, groupFigure(key, GroupStats::redelivered))
        .description("deliveries that were a retry (ack timeout or consumer gone)").tags(tags).register(registry));
    meters.add(Gauge.builder("courier.group.messages.ready", this, groupFigure(key, GroupStats::ready))
        .description("messages waiting for a consumer of the group").tags(tags).register(registry));
    meters.add(Gauge.builder("courier.group.messages.unacked", this, groupFigure(key, GroupStats::inFlight))
        .description("deliveries in flight, not yet acked").tags(tags).register(registry));
    meters.add(Gauge.builder("courier.group.consumers", this, groupFigure(key, GroupStats::consumers))
        .description("consumers registered in the group").tags(tags).register(registry));
    metersByKey.put(key, meters);
  }

  private static ToDoubleFunction<BrokerMeters> topicFigure(String topic, ToDoubleFunction<TopicStats> figure) {
    return m -> {
      TopicStats stats = m.topics.get(topic);
      return stats == null ? Double.NaN : figure.applyAsDouble(stats);
    };
  }

  private static ToDoubleFunction<BrokerMeters> groupFigure(String key, ToDoubleFunction<GroupStats> figure) {
    return m -> {
      GroupStats stats = m.groups.get(key);
      return stats == null ? Double.NaN : figure.applyAsDouble(stats);
    };
  }
}
