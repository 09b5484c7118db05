package dev.courier.storage;

import dev.courier.core.WarnLimiter;

/**
 * What the logs of every topic of one store share: the segment size, the budget of open
 * channels, the one call that writes, and the rate limit on storage ERROR lines (a producer
 * retrying against a failing disk must not write one line per publish).
 */
record StorageFiles(long segmentBytes, OpenFiles openFiles, PositionalWriter writer, WarnLimiter errors) {}
