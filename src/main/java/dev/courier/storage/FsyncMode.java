package dev.courier.storage;

/** When stored records are forced to the disk, which is what a confirmation promises. */
public enum FsyncMode {
  /** Before confirming: every batch is written, forced once, then confirmed (group commit). */
  ALWAYS,
  /** Every {@code fsync_interval_ms}; a confirmation means written to the OS, not yet forced. */
  INTERVAL,
  /** Never forced by Courier; the OS writes back when it likes. */
  NEVER;

  public static FsyncMode fromConfig(String name) {
    return switch (name) {
      case "always" -> ALWAYS;
      case "interval" -> INTERVAL;
      case "never" -> NEVER;
      default -> throw new IllegalArgumentException("unknown fsync mode " + name);
    };
  }
}
