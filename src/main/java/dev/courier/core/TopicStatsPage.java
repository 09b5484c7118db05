package dev.courier.core;

import java.util.List;

/**
 * One page of topic figures, in name order. {@code next} is the name of the page's last topic when
 * more topics follow it (the cursor of the next page), null on the last page.
 */
public record TopicStatsPage(List<TopicStats> topics, String next) {}
