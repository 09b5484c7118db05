package dev.courier.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a {@link BenchPlan}: each scenario {@code repeat} times, each run against a fresh broker
 * when the bench starts its own, and reports the median figures of every scenario. The table goes
 * to {@code out} as each scenario finishes; progress and problems go to {@code err}.
 */
public final class BenchSession {
  private static final double NANOS_PER_SECOND = 1e9;

  private final BenchPlan plan;
  private final PrintStream out;
  private final PrintStream err;

  public BenchSession(BenchPlan plan, PrintStream out, PrintStream err) {
    this.plan = plan;
    this.out = out;
    this.err = err;
  }

  public List<RunFigures> run() throws IOException, InterruptedException {
    List<RunFigures> report = new ArrayList<>();
    out.print(ResultTable.header());
    out.flush();
    Double capacity = plan.capacityPerSecond() == null ? null : plan.capacityPerSecond().doubleValue();
    for (Scenario planned : plan.scenarios()) {
      Scenario scenario = planned;
      if (planned.needsCapacity()) {
        if (capacity == null) {
          RunFigures pass = measureCapacity();
          report.add(pass);
          capacity = capacityOf(pass);
        }
        scenario = planned.atCapacity(capacity);
      }
      List<RunFigures> runs = new ArrayList<>();
      for (int i = 1; i <= plan.repeat(); i++) {
        err.printf("bench: %s (run %d of %d)%n", scenario.describe(), i, plan.repeat());
        runs.add(runOnce(scenario, i));
      }
      RunFigures median = RunFigures.median(runs);
      report.add(median);
      out.print(ResultTable.row(median));
      out.flush();
      if (capacity == null && scenario.name().equals(CAPACITY_SCENARIO.name())) {
        capacity = capacityOf(median);
        err.printf(Locale.ROOT, "bench: capacity for the L scenarios: %.0f msg/s (S2 above)%n", capacity);
      }
    }
    return report;
  }

  /**
   * The closed-loop 4P/4C pass whose sustained rate the L scenarios take their share of: the same
   * clients and broker settings, so the share means the same load on this machine today.
   */
  private static final Scenario CAPACITY_SCENARIO = Scenario.parseList("S2").get(0);

  private RunFigures measureCapacity() throws IOException, InterruptedException {
    Scenario pass = new Scenario("capacity", CAPACITY_SCENARIO.producers(), CAPACITY_SCENARIO.consumers(),
        CAPACITY_SCENARIO.payloadBytes(), CAPACITY_SCENARIO.count(), CAPACITY_SCENARIO.window());
    err.println("bench: measuring capacity first: " + pass.describe());
    RunFigures figures = runOnce(pass, 1);
    out.print(ResultTable.row(figures));
    out.flush();
    err.printf(Locale.ROOT, "bench: capacity for the L scenarios: %.0f msg/s%n", capacityOf(figures));
    return figures;
  }

  /** What a closed loop sustained: the slower of delivery and confirmation. */
  private static double capacityOf(RunFigures closedLoop) {
    return Math.max(1, Math.min(closedLoop.endToEndPerSecond(), closedLoop.confirmedPerSecond()));
  }

  private RunFigures runOnce(Scenario scenario, int runNumber) throws IOException, InterruptedException {
    String label = scenario.name() + (plan.repeat() > 1 ? "#" + runNumber : "");
    if (plan.target() instanceof BenchTarget.RunningBroker running) {
      // A broker others use: the run gets a topic (and group) of its own, so it never reads, acks
      // or counts anyone's messages. The topic stays behind, empty once the run has acked it all.
      String topic = "bench-" + Long.toHexString(System.currentTimeMillis()) + "-"
          + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt() >>> 8);
      err.println("bench: " + label + ": topic and group " + topic + " on " + running.host() + ":" + running.port());
      WorkloadResult result = measure(running.host(), running.port(), topic, scenario, label);
      return RunFigures.of(result, null);
    }
    BenchTarget.SpawnedBroker spawned = (BenchTarget.SpawnedBroker) plan.target();
    try (BrokerProcess broker = BrokerProcess.start(spawned.jvmOptions(), spawned.settings())) {
      ProcessUsage before = broker.usage();
      WorkloadResult result = measure("127.0.0.1", broker.port(), null, scenario, label);
      ProcessUsage after = broker.usage();
      return RunFigures.of(result, new RunFigures.BrokerUsage(after.cpuSeconds() - before.cpuSeconds(),
          after.peakRssBytes()));
    }
  }

  private WorkloadResult measure(String host, int port, String topic, Scenario scenario, String label)
      throws InterruptedException {
    WorkloadResult result = WorkloadRun.run(host, port, plan.tls(), plan.credentials(), topic, scenario, plan.timeout(),
        p -> err.printf(Locale.ROOT, "bench: %s %5.1f s: confirmed %d, received %d of %d%n",
        label, p.elapsedNanos() / NANOS_PER_SECOND, p.confirmed(), p.distinctReceived(), p.count()));
    for (String problem : result.problems()) {
      err.println("bench: " + label + ": " + problem);
    }
    return result;
  }
}
