package dev.courier.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one run of a scenario measured on the client side.
 *
 * @param received sequence numbers received at least once
 * @param lost sequence numbers never received
 * @param duplicated receptions beyond the first, over all sequence numbers
 * @param endToEndPerSecond distinct messages received per second, from the first publish to the last first reception
 * @param confirmedPerSecond publishes confirmed per second, from the first publish to the last ok
 * @param latencyNanos end-to-end latency of every reception, all consumers merged
 * @param answerLatencyNanos publish-to-answer ({@code ok} or {@code error}) latency of every
 *     answered publish, all producers merged
 * @param problems what went wrong, in sentences; empty for a clean run
 */
public record WorkloadResult(Scenario scenario, long received, long lost, long duplicated,
    double endToEndPerSecond, double confirmedPerSecond, Histogram latencyNanos, Histogram answerLatencyNanos,
    boolean timedOut, List<String> problems) {}
