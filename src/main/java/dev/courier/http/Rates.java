package dev.courier.http;

import dev.courier.core.BrokerStats;
import dev.courier.core.GroupStats;
import dev.courier.core.TopicStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rates over the last minute, from counters the broker already keeps: the listener samples them
 * every few seconds, and a rate is the rise of a counter between the oldest sample of the window
 * that knows it and the newest, per second. Also keeps broker-wide rates for the dashboard's chart.
 * Touched only on the HTTP listener's loop.
 */
final class Rates {
  /** The window of every rate the API reports, as its docs promise ("over the last minute"). */
  static final long WINDOW_MILLIS = 60_000;
  /** Points of the broker-wide chart: ten minutes at the listener's sampling period of 2 s. */
  static final int HISTORY_POINTS = 300;

  private record Sample(long atMillis, BrokerStats totals, Map<String, Long> published, Map<String, long[]> groups) {}

  /** Broker-wide rates between two samples, and the depths at the later one. */
  record Point(long atMillis, double published, double delivered, double acked, long ready, long unacked) {}

  private final ArrayDeque<Sample> window = new ArrayDeque<>();
  private final ArrayDeque<Point> history = new ArrayDeque<>();

  void sample(long nowMillis, BrokerStats totals, List<TopicStats> topics) {
    Map<String, Long> published = new HashMap<>();
    Map<String, long[]> groups = new HashMap<>();
    for (TopicStats topic : topics) {
      published.put(topic.name(), topic.published());
      for (GroupStats group : topic.groups()) {
        groups.put(key(topic.name(), group.name()), new long[] {group.delivered(), group.acked(), group.redelivered()});
      }
    }
    Sample previous = window.peekLast();
    window.addLast(new Sample(nowMillis, totals, published, groups));
    while (window.size() > 2 && window.peekFirst().atMillis() < nowMillis - WINDOW_MILLIS) {
      window.removeFirst();
    }
    if (previous != null && nowMillis > previous.atMillis()) {
      double seconds = (nowMillis - previous.atMillis()) / 1000.0;
      history.addLast(new Point(nowMillis, (totals.published() - previous.totals().published()) / seconds,
          (totals.delivered() - previous.totals().delivered()) / seconds,
          (totals.acked() - previous.totals().acked()) / seconds, totals.ready(), totals.inFlight()));
      if (history.size() > HISTORY_POINTS) {
        history.removeFirst();
      }
    }
  }

  /** Messages published to {@code topic} per second over the window; 0 until two samples know it. */
  double publishRate(String topic) {
    Sample newest = window.peekLast();
    Long now = newest == null ? null : newest.published().get(topic);
    if (now == null) {
      return 0;
    }
    for (Sample oldest : window) {
      Long then = oldest.published().get(topic);
      if (then != null) {
        return perSecond(now - then, newest.atMillis() - oldest.atMillis());
      }
    }
    return 0;
  }

  /** Delivered, acked and redelivered per second of one group over the window. */
  double[] groupRates(String topic, String group) {
    Sample newest = window.peekLast();
    String key = key(topic, group);
    long[] now = newest == null ? null : newest.groups().get(key);
    if (now == null) {
      return new double[3];
    }
    for (Iterator<Sample> it = window.iterator(); it.hasNext(); ) {
      Sample oldest = it.next();
      long[] then = oldest.groups().get(key);
      if (then != null) {
        long millis = newest.atMillis() - oldest.atMillis();
        return new double[] {perSecond(now[0] - then[0], millis), perSecond(now[1] - then[1], millis),
            perSecond(now[2] - then[2], millis)};
      }
    }
    return new double[3];
  }

  List<Point> history() {
    return new ArrayList<>(history);
  }

  private static double perSecond(long rise, long millis) {
    return millis <= 0 ? 0 : rise * 1000.0 / millis;
  }

  private static String key(String topic, String group) {
    return topic + '\u0000' + group;
  }
}
