package dev.courier.bench;

/**
 * What {@code items} idle things (connections or empty groups) cost a broker: its resident memory
 * after a full GC before they were opened and after, and the difference shared out per item.
 * {@code kind} names the things, as printed.
 */
public record IdleFigures(String kind, int items, long rssBeforeBytes, long rssAfterBytes) {
  private static final double BYTES_PER_MIB = 1024.0 * 1024.0;
  private static final double BYTES_PER_KIB = 1024.0;

  public IdleFigures {
    if (items < 1) {
      throw new IllegalArgumentException("items must be at least 1, was " + items);
    }
  }

  public double rssBeforeMib() {
    return rssBeforeBytes / BYTES_PER_MIB;
  }

  public double rssAfterMib() {
    return rssAfterBytes / BYTES_PER_MIB;
  }

  /**
   * Can be negative: the JVM may give back more memory at the second GC than the items took, which
   * on a small N says the figure is below the RSS noise, not that items are free.
   */
  public double bytesPerItem() {
    return (double) (rssAfterBytes - rssBeforeBytes) / items;
  }

  public double kibPerItem() {
    return bytesPerItem() / BYTES_PER_KIB;
  }
}
