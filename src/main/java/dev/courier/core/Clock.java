package dev.courier.core;

/**
 * Time as the core sees it: injected, so that tests drive deadlines by hand in microseconds.
 * Monotonic nanoseconds for deadlines; wall-clock milliseconds only for timestamps users read.
 */
public interface Clock {
  long nanoTime();

  long wallMillis();

  static Clock system() {
    return new Clock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long wallMillis() {
        return System.currentTimeMillis();
      }
    };
  }
}
