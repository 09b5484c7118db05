package dev.courier.client;

import dev.courier.protocol.Frame;

/**
 * Which messages a consumer gives back instead of acking, to play a consumer that fails now and
 * then: every {@code every}-th it receives (0: none), redelivered at once or, with
 * {@code delayMs}, not before that many ms. Each nack counts as a failed attempt, so with the
 * broker's {@code max_deliveries} this is how dead letters are made on purpose.
 */
public record NackPlan(long every, Long delayMs) {
  public static final NackPlan NONE = new NackPlan(0, null);

  public NackPlan {
    if (every < 0) {
      throw new IllegalArgumentException("nack every must not be negative, was " + every);
    }
    if (delayMs != null && (delayMs < 0 || delayMs > Frame.Publish.MAX_DELAY_MS)) {
      throw new IllegalArgumentException("nack delay must be 0 to " + Frame.Publish.MAX_DELAY_MS
          + " ms (a year), was " + delayMs);
    }
    if (delayMs != null && every == 0) {
      throw new IllegalArgumentException("a nack delay needs a nack every");
    }
  }

  /** True for the {@code received}-th message (counting from 1) when it is to be nacked. */
  public boolean nacks(long received) {
    return every > 0 && received % every == 0;
  }

  /** The frame that gives message {@code id} back. */
  public Frame.Nack nack(long id) {
    return new Frame.Nack(id, delayMs);
  }
}
