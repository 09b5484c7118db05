package dev.courier.stomp;

import java.util.Set;

/** STOMP version negotiation (STOMP 1.2, "Protocol Negotiation"). */
final class StompVersions {
  static final String SUPPORTED = "1.0,1.1,1.2";
  private static final Set<String> VERSIONS = Set.of(SUPPORTED.split(","));

  private StompVersions() {}

  /**
   * The highest version both sides speak: from {@code accept-version}, or 1.0 for a client that
   * sends none (a 1.0 client); null when none is shared.
   */
  static String negotiate(String acceptVersion) {
    if (acceptVersion == null) {
      return "1.0";
    }
    String best = null;
    for (String offered : acceptVersion.split(",")) {
      String version = offered.trim();
      if (VERSIONS.contains(version) && (best == null || version.compareTo(best) > 0)) {
        best = version;
      }
    }
    return best;
  }
}
