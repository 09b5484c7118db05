package dev.courier.client;

import dev.courier.protocol.ErrorCode;
import dev.courier.protocol.Frame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code error} frames one client run received, by code: the first of each code is kept with
 * its message and a hint for the person at the terminal, the rest are only counted, so that a
 * thousand refused publishes make one line ("and 999 more like it"), not a thousand.
 */
public final class BrokerErrors {
  /** The broker's frame_too_large message names its limit: "... exceeds the limit of N bytes". */
  private static final Pattern FRAME_LIMIT = Pattern.compile("limit of (\\d+) bytes");
  /** {"type":"publish","payload":""}: what a publish frame adds to its payload. */
  static final int PUBLISH_FRAME_OVERHEAD = 31;

  private final Map<String, Entry> byCode = new LinkedHashMap<>();
  private long total;

  private static final class Entry {
    final Frame.Error first;
    long count;

    Entry(Frame.Error first) {
      this.first = first;
    }
  }

  /** Records one error; true when it is the first with its code. */
  public boolean add(Frame.Error error) {
    total++;
    Entry entry = byCode.computeIfAbsent(codeName(error.code()), k -> new Entry(error));
    entry.count++;
    return entry.count == 1;
  }

  public long total() {
    return total;
  }

  /** One line per code: {@code code: message; hint (and N more like it)}. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Entry entry : byCode.values()) {
      String more = entry.count > 1 ? " (and " + (entry.count - 1) + " more like it)" : "";
      lines.add(describe(entry.first) + more);
    }
    return lines;
  }

  /** {@code code: message; hint}, the one sentence a client prints for a broker error. */
  public static String describe(Frame.Error error) {
    String hint = hint(error);
    return codeName(error.code()) + ": " + error.message() + (hint == null ? "" : "; " + hint);
  }

  static String hint(Frame.Error error) {
    if (error.code() == null) {
      return null;
    }
    return switch (error.code()) {
      case FRAME_TOO_LARGE -> frameTooLargeHint(error.message());
      case UNKNOWN_TOPIC -> "use a topic listed in the broker's topics setting";
      case INVALID_NAME -> null; // the broker's message states the rule
      case LIMIT_REACHED -> "the broker's max_topics or max_groups_per_topic is reached: use an existing topic or group";
      case TOPIC_FULL -> "consumers must ack to make room, or the broker needs larger max_topic_messages / max_topic_bytes";
      case STORAGE_UNAVAILABLE -> "the broker could not store it (disk full, max_disk_bytes or an I/O error): see its log";
      case SHUTTING_DOWN -> "the broker is stopping: publish again once it has restarted";
      case TOO_MANY_CONNECTIONS -> "the broker's max_connections is reached: try again later";
      case REGISTER_TIMEOUT, FRAME_TIMEOUT -> "the connection was too slow";
      case INTERNAL_ERROR -> "a bug in the broker: its log has the details";
      default -> "a bug in this client or a broker of another version";
    };
  }

  private static String frameTooLargeHint(String message) {
    Matcher limit = FRAME_LIMIT.matcher(message == null ? "" : message);
    if (!limit.find()) {
      return "use a smaller --size";
    }
    long max = Long.parseLong(limit.group(1));
    return "the broker's max_frame_bytes is " + max + "; use --size <= " + (max - PUBLISH_FRAME_OVERHEAD);
  }

  private static String codeName(ErrorCode code) {
    return code == null ? "error" : code.wireName();
  }
}
