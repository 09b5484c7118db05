package dev.courier.core;

import org.slf4j.Logger;

/**
 * Rate-limits log lines about one kind of trouble, so that a hostile peer or a failing disk cannot
 * fill the disk with logs: at most {@code perSecond} lines a second, then, with the next line after
 * the second is over, one line saying how many were suppressed. Plain SLF4J so that the server
 * (peer warnings) and storage (I/O errors) share it. Used from one thread only.
 */
public final class WarnLimiter {
  private final Logger log;
  private final int perSecond;
  private long windowStartNanos;
  private boolean started;
  private int inWindow;
  private long suppressed;

  public WarnLimiter(Logger log, int perSecond) {
    this.log = log;
    this.perSecond = perSecond;
  }

  public void warn(String format, Object... args) {
    if (admit(false)) {
      log.warn(format, args);
    }
  }

  /** As {@link #warn}, at ERROR: the first error of a second is always logged in full. */
  public void error(String format, Object... args) {
    if (admit(true)) {
      log.error(format, args);
    }
  }

  private boolean admit(boolean error) {
    long now = System.nanoTime();
    if (!started || now - windowStartNanos >= 1_000_000_000L) {
      if (suppressed > 0) {
        String line = "{} similar " + (error ? "errors" : "warnings") + " suppressed in the last second";
        if (error) {
          log.error(line, suppressed);
        } else {
          log.warn(line, suppressed);
        }
      }
      started = true;
      windowStartNanos = now;
      inWindow = 0;
      suppressed = 0;
    }
    if (inWindow < perSecond) {
      inWindow++;
      return true;
    }
    suppressed++;
    return false;
  }
}
