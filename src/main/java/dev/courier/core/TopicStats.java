package dev.courier.core;

import java.util.List;

/**
 * One topic's figures: what it retains (not yet acked by every group), how many of those bytes are
 * in memory (the rest wait on disk, with durable storage), its groups, and {@code delayed}: its
 * delayed publishes not due yet (retained, and in no group's ready count).
 */
public record TopicStats(String name, long published, int retainedMessages, long retainedBytes,
    long residentBytes, boolean full, List<GroupStats> groups, long delayed) {
  public TopicStats(String name, long published, int retainedMessages, long retainedBytes, long residentBytes,
      boolean full, List<GroupStats> groups) {
    this(name, published, retainedMessages, retainedBytes, residentBytes, full, groups, 0);
  }
}
