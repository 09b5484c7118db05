package dev.courier.server;

import dev.courier.core.Broker;
import dev.courier.core.BrokerStats;
import dev.courier.core.TopicStats;
import dev.courier.core.TopicStatsPage;
import dev.courier.protocol.Frame;
import dev.courier.protocol.ReplyBudget;
import java.util.List;

/**
 * The body of a {@code stats_reply} frame: totals, topics with their groups, open connections, and
 * {@code next}, the cursor of the following page (null, and absent on the wire, on the last page).
 */
public record StatsSnapshot(BrokerStats broker, List<TopicStats> topics, int connections, String next) {

  /** Every topic in one snapshot: for in-process callers (tests, shutdown), never for the wire. */
  public StatsSnapshot(BrokerStats broker, List<TopicStats> topics, int connections) {
    this(broker, topics, connections, null);
  }

  /**
   * The page a {@code stats} request asks for, no larger than {@code maxFrameBytes} of encoded
   * body unless its single topic alone is: only that page's topics are computed and measured.
   */
  static StatsSnapshot page(Broker broker, int connections, Frame.Stats request, int maxFrameBytes) {
    BrokerStats totals = broker.stats();
    ReplyBudget budget = ReplyBudget.forStats(new StatsSnapshot(totals, List.of(), connections, ""), maxFrameBytes);
    TopicStatsPage page = broker.topicStats(request.after(), request.limit(),
        topic -> budget.tryAddTopic(topic, topic.name()));
    return new StatsSnapshot(totals, page.topics(), connections, page.next());
  }
}
