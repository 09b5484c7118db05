package dev.courier.core;

import java.util.List;

/** One topic's figures: what it retains (not yet acked by every group), and its groups. */
public record TopicStats(String name, long published, int retainedMessages, long retainedBytes,
    boolean full, List<GroupStats> groups) {}
