package dev.courier.core;

/**
 * A producer's {@code dedup_id} as storage keeps it: the id of the message it was first published
 * with and when that message was stored (wall clock, the record's timestamp), from which the
 * window is measured. Recovery hands these back in {@link RestoredTopic#dedupKeys()}.
 */
public record DedupKey(String dedupId, long messageId, long storedAtMillis) {
}
