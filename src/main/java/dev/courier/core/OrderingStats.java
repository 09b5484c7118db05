package dev.courier.core;

import java.util.List;

/**
 * What an ordered group holds back, for stats and the HTTP API; null fields do not apply to its mode.
 *
 * @param mode {@code key} or {@code single}
 * @param blockedKeys keys with messages waiting behind an unacked one of the same key
 * @param blockedKeySamples up to {@link KeyOrder#SAMPLE_KEYS} of them
 * @param keysInFlight keys with a message outstanding (in flight, or failed and waiting for its retry)
 * @param waiting messages held back behind those
 * @param activeConsumer the consumer that receives everything of a single group, or null when none
 */
public record OrderingStats(String mode, Long blockedKeys, List<String> blockedKeySamples, Long keysInFlight,
    Long waiting, String activeConsumer) {

  /** The group's, or null when it is not ordered. */
  static OrderingStats of(Group group) {
    return switch (group.settings.effectiveOrdering()) {
      case NONE -> null;
      case KEY -> group.keyOrder.stats();
      case SINGLE -> new OrderingStats("single", null, null, null, null,
          group.ring.isEmpty() ? null : group.ring.get(0).name());
    };
  }
}
