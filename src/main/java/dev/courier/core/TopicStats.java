package dev.courier.core;

import java.util.List;

/**
 * One topic's figures: what it retains (not yet acked by every group), how many of those bytes are
 * in memory (the rest wait on disk, with durable storage), and its groups.
 */
public record TopicStats(String name, long published, int retainedMessages, long retainedBytes,
    long residentBytes, boolean full, List<GroupStats> groups) {}
