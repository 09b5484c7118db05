package dev.courier.server;

import dev.courier.core.BrokerStats;
import dev.courier.core.TopicStats;
import java.util.List;

/** The body of a {@code stats_reply} frame: totals, every topic with its groups, open connections. */
public record StatsSnapshot(BrokerStats broker, List<TopicStats> topics, int connections) {}
