package dev.courier.server;

import org.slf4j.Logger;

/**
 * Rate-limits WARN lines about misbehaving peers, so that a hostile client cannot fill the disk
 * with logs: at most {@code perSecond} lines a second, then one line saying how many were dropped.
 * Used on the owner loop only.
 */
final class WarnLimiter {
  private final Logger log;
  private final int perSecond;
  private long windowStartNanos;
  private int inWindow;
  private long suppressed;

  WarnLimiter(Logger log, int perSecond) {
    this.log = log;
    this.perSecond = perSecond;
  }

  void warn(String format, Object... args) {
    long now = System.nanoTime();
    if (now - windowStartNanos >= 1_000_000_000L) {
      if (suppressed > 0) {
        log.warn("{} similar warnings suppressed in the last second", suppressed);
      }
      windowStartNanos = now;
      inWindow = 0;
      suppressed = 0;
    }
    if (inWindow < perSecond) {
      inWindow++;
      log.warn(format, args);
    } else {
      suppressed++;
    }
  }
}
