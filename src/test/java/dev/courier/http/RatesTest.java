package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.core.BrokerStats;
import dev.courier.core.GroupStats;
import dev.courier.core.TopicStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rates over the last minute from counter samples at known times: no clock, no sleeps. */
class RatesTest {
  private final Rates rates = new Rates();

  @Test
  void aRateIsTheRiseAcrossTheSamplesOfTheLastMinute() {
    sample(0, 0, 0, 0);
    sample(30_000, 60, 30, 15);
    assertEquals(2.0, rates.publishRate("orders"));
    assertArrayEquals(new double[] {1.0, 0.5, 0.0}, rates.groupRates("orders", "billing"));
    sample(70_000, 100, 70, 55);
    // The sample at 0 s is older than a minute now: the window starts at 30 s.
    assertEquals(1.0, rates.publishRate("orders"));
    assertArrayEquals(new double[] {1.0, 1.0, 0.0}, rates.groupRates("orders", "billing"));
  }

  @Test
  void anUnknownTopicOrGroupHasNoRate() {
    assertEquals(0.0, rates.publishRate("orders"));
    sample(0, 5, 0, 0);
    assertEquals(0.0, rates.publishRate("orders"), "one sample is no rate");
    assertEquals(0.0, rates.publishRate("nope"));
    assertArrayEquals(new double[3], rates.groupRates("orders", "nope"));
  }

  @Test
  void theHistoryHoldsBrokerWideRatesBetweenSamples() {
    sample(0, 0, 0, 0);
    sample(2_000, 10, 4, 2);
    List<Rates.Point> history = rates.history();
    assertEquals(List.of(new Rates.Point(2_000, 5.0, 2.0, 1.0, 6, 2)), history);
  }

  private void sample(long atMillis, long published, long delivered, long acked) {
    int ready = (int) (published - delivered);
    int inFlight = (int) (delivered - acked);
    BrokerStats totals = new BrokerStats(published, delivered, 0, acked, ready, inFlight, 1, false);
    GroupStats group = new GroupStats("billing", ready, inFlight, 1, delivered, acked, 0, 0);
    rates.sample(atMillis, totals, List.of(new TopicStats("orders", published, ready, ready, ready, false,
        List.of(group))));
  }
}
