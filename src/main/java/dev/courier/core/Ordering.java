package dev.courier.core;

/**
 * What order a group promises its consumers (docs/PROTOCOL.md, "Ordering"). Fixed when the group
 * is created and kept with it, like its other {@link GroupSettings}.
 */
public enum Ordering {
  /** Publish order, but a message coming back goes to the front and consumers work in parallel: the seed's. */
  NONE,
  /** Messages with the same key one at a time, in publish order, over all consumers; keys in parallel ({@link KeyOrder}). */
  KEY,
  /** One consumer, the longest registered, gets everything; the others wait as hot standbys. */
  SINGLE
}
