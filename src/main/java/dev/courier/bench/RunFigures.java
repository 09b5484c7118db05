package dev.courier.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * The figures of one scenario as reported: one run, or the median of each figure over repeats.
 * Broker CPU and RSS are null when the broker was not started by the bench (n/a).
 *
 * @param offeredPerSecond the fixed rate the producers offered; 0 for a closed loop
 * @param endToEndPerSecond messages received per second, first publish to last first reception
 * @param confirmedPerSecond publishes confirmed per second, first publish to last ok
 * @param p50Millis end-to-end latency percentiles: intended send to reception (p99Millis ... maxMillis alike)
 * @param okP50Millis publish-to-answer latency percentiles: intended send to {@code ok} (okP99Millis ... alike)
 * @param brokerCpuSecondsPer100k broker CPU (user + system) during the run, per 100,000 messages
 * @param brokerPeakRssMib the broker's peak resident memory (VmHWM) in MiB
 */
public record RunFigures(String scenario, int runs, double offeredPerSecond, double endToEndPerSecond,
    double confirmedPerSecond, double p50Millis, double p99Millis, double p999Millis, double maxMillis,
    double okP50Millis, double okP99Millis, double okP999Millis, double okMaxMillis, double lost, double duplicated,
    @JsonProperty("broker_cpu_seconds_per_100k") Double brokerCpuSecondsPer100k, Double brokerPeakRssMib) {

  private static final double NANOS_PER_MILLI = 1e6;
  private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

  /** Figures of one run; {@code broker} is null when the bench did not start the broker. */
  static RunFigures of(WorkloadResult result, BrokerUsage broker) {
    Histogram h = result.latencyNanos();
    Histogram ok = result.answerLatencyNanos();
    Double cpu = broker == null ? null : broker.cpuSeconds() * 100_000 / result.scenario().count();
    Double rss = broker == null ? null : broker.peakRssBytes() / BYTES_PER_MIB;
    return new RunFigures(result.scenario().name(), 1, result.scenario().rate(), result.endToEndPerSecond(),
        result.confirmedPerSecond(), millis(h, 50), millis(h, 99), millis(h, 99.9), h.getMaxValue() / NANOS_PER_MILLI,
        millis(ok, 50), millis(ok, 99), millis(ok, 99.9), ok.getMaxValue() / NANOS_PER_MILLI,
        result.lost(), result.duplicated(), cpu, rss);
  }

  private static double millis(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / NANOS_PER_MILLI;
  }

  /** What the broker used during one run. */
  record BrokerUsage(double cpuSeconds, long peakRssBytes) {}

  /** The median of each figure, taken on its own, over runs of one scenario. */
  static RunFigures median(List<RunFigures> runs) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    boolean measured = runs.stream().allMatch(r -> r.brokerCpuSecondsPer100k() != null);
    return new RunFigures(runs.get(0).scenario(), runs.size(), median(runs, RunFigures::offeredPerSecond),
        median(runs, RunFigures::endToEndPerSecond), median(runs, RunFigures::confirmedPerSecond),
        median(runs, RunFigures::p50Millis), median(runs, RunFigures::p99Millis),
        median(runs, RunFigures::p999Millis), median(runs, RunFigures::maxMillis),
        median(runs, RunFigures::okP50Millis), median(runs, RunFigures::okP99Millis),
        median(runs, RunFigures::okP999Millis), median(runs, RunFigures::okMaxMillis),
        median(runs, RunFigures::lost), median(runs, RunFigures::duplicated),
        measured ? median(runs, RunFigures::brokerCpuSecondsPer100k) : null,
        measured ? median(runs, RunFigures::brokerPeakRssMib) : null);
  }

  private static double median(List<RunFigures> runs, ToDoubleFunction<RunFigures> figure) {
    double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }
}
