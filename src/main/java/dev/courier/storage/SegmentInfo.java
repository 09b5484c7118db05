package dev.courier.storage;

/**
 * What the caller needs to apply retention to one segment. {@code firstId} is the id the segment
 * is named after (no record in it is lower); {@code lastId} is its highest record id, or -1 when it
 * holds no readable record. {@code lastModifiedMillis} is the file's modification time, i.e. the
 * wall time of its last append: the log does not read message timestamps inside bodies.
 */
public record SegmentInfo(long firstId, long lastId, long sizeBytes, long lastModifiedMillis) {
}
