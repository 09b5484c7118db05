package dev.courier.cli;

import dev.courier.bench.BenchPlan;
import dev.courier.bench.BenchSession;
import dev.courier.bench.BenchTarget;
import dev.courier.bench.IdleBench;
import dev.courier.bench.JsonReport;
import dev.courier.bench.RunFigures;
import dev.courier.bench.Scenario;
import dev.courier.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures throughput, end-to-end latency, loss and duplicates, and the broker's CPU time "
        + "and peak memory. By default starts a fresh broker JVM for each run; --host/--port target a running one.",
        "Named scenarios: S1 1 producer/1 consumer, 100 B, 200000 messages; S2 4/4, 100 B, 400000; "
        + "S3 1/1, 16 KiB, 20000; S4 1/1, 100 B, 20000, window 1; L1, L2, L3 4/4, 100 B, for "
        + Scenario.FIXED_RATE_SECONDS + " s at a fixed rate of 25, 50 and 75 %% of the capacity (--capacity, "
        + "or measured in the run by S2 or a closed-loop S2 pass). Giving --producers, --consumers, "
        + "--size, --count, --window or --rate instead of --scenario runs one custom workload."},
    defaultValueProvider = BenchCommand.BrokerJvmOptionsDefault.class)
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--scenario", paramLabel = "S1|S2|S3|S4|L1|L2|L3|all",
      description = "named scenarios, comma separated (default: all, unless a custom workload is given)")
  String scenarios;

  @Option(names = "--producers", paramLabel = "N", description = "custom: producers (default: 1)")
  Integer producers;

  @Option(names = "--consumers", paramLabel = "N", description = "custom: consumers (default: 1)")
  Integer consumers;

  @Option(names = "--size", paramLabel = "BYTES", description = "custom: payload bytes (default: 100)")
  Integer size;

  @Option(names = "--count", paramLabel = "N", description = "custom: messages in all (default: 100000)")
  Integer count;

  @Option(names = "--window", paramLabel = "N",
      description = "custom: unconfirmed publishes per producer at most; 1 waits for each ok (default: 1000)")
  Integer window;

  @Option(names = "--rate", paramLabel = "MSG/S",
      description = "custom: offer this many messages per second over all producers, on a schedule; latency "
          + "counts from each message's intended send time (default: closed loop, as fast as the window allows)")
  Integer rate;

  @Option(names = "--warmup-seconds", paramLabel = "S",
      description = "custom, with --rate: send but do not measure the first S seconds of the schedule, while "
          + "the broker's JIT warms up (default: 0; the L scenarios take " + Scenario.FIXED_RATE_WARMUP_SECONDS + ")")
  Integer warmupSeconds;

  @Option(names = "--capacity", paramLabel = "MSG/S",
      description = "the L scenarios' rate is a share of this (default: measured in the run)")
  Integer capacity;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "runs of each scenario, fresh broker each; the median of each figure is reported (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "120",
      description = "end a run after this long; what was not received counts as lost (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
  Path json;

  @Option(names = "--broker-jvm-opts", paramLabel = "OPTIONS",
      description = "JVM options of the started broker (default: \"${DEFAULT-VALUE}\", as the Makefile's JAVA_OPTS)")
  String brokerJvmOpts;

  @Option(names = "--broker-set", paramLabel = "KEY=VALUE",
      description = "a setting for the brokers the bench starts, e.g. --broker-set storage=memory (repeatable)")
  List<String> brokerSettings = List.of();

  @Option(names = "--host", description = "bench a running broker at this loopback address instead of starting one")
  String host;

  @Option(names = "--port", description = "port of the running broker (with --host; host defaults to 127.0.0.1)")
  Integer port;

  @Option(names = "--idle-connections", paramLabel = "N",
      description = "instead of a workload: open N idle consumer connections to a fresh broker and report its RSS "
          + "before and after (each after a full GC) and the RSS per connection")
  Integer idleConnections;

  @Option(names = "--idle-groups", paramLabel = "N",
      description = "instead of a workload: create N empty groups (one short-lived consumer each) in a fresh broker "
          + "and report its RSS before and after (each after a full GC) and the RSS per group")
  Integer idleGroups;

  @Mixin
  TlsOptions tlsOptions;

  @Mixin
  UserOptions credentialOptions;

  @Override
  public Integer call() throws Exception {
    if (idleConnections != null || idleGroups != null) {
      return idle();
    }
    BenchPlan plan;
    try {
      tlsOptions.validate();
      credentialOptions.validate();
      plan = new BenchPlan(scenarios(), repeat, Duration.ofSeconds(timeoutSeconds), target(),
          tlsOptions.clientTls(), credentialOptions.credentials(), capacity);
    } catch (IllegalArgumentException e) {
      System.err.println("courier bench: " + e.getMessage());
      return 2;
    }
    List<RunFigures> figures;
    try {
      figures = new BenchSession(plan, System.out, System.err).run();
    } catch (IOException | RuntimeException e) {
      System.err.println("courier bench: " + e.getMessage());
      return 1;
    }
    if (json != null) {
      JsonReport.write(json, figures);
    }
    boolean clean = figures.stream().allMatch(f -> f.lost() == 0 && f.duplicated() == 0);
    return clean ? 0 : 1;
  }

  /** The idle runs: each kind asked for, --repeat times, a fresh broker each. */
  private int idle() {
    IdleBench bench;
    try {
      if (scenarios != null || producers != null || consumers != null || size != null || count != null
          || window != null || rate != null || warmupSeconds != null || capacity != null || json != null) {
        throw new IllegalArgumentException("--idle-connections and --idle-groups take no workload options");
      }
      if (host != null || port != null || tlsOptions.tls || credentialOptions.user != null) {
        throw new IllegalArgumentException("--idle-connections and --idle-groups measure a broker the bench starts"
            + " itself, without TLS or users; --host, --port, --tls and --user do not apply");
      }
      if (repeat < 1) {
        throw new IllegalArgumentException("--repeat must be at least 1, was " + repeat);
      }
      checkBrokerSettings();
      bench = new IdleBench(BenchPlan.splitOptions(brokerJvmOpts), brokerSettings, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("courier bench: " + e.getMessage());
      return 2;
    }
    System.out.print(IdleBench.header());
    try {
      for (int i = 0; i < repeat; i++) {
        if (idleConnections != null) {
          System.out.print(IdleBench.row(bench.run(IdleBench.Kind.CONNECTIONS, idleConnections)));
        }
        if (idleGroups != null) {
          System.out.print(IdleBench.row(bench.run(IdleBench.Kind.GROUPS, idleGroups)));
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("courier bench: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    return 0;
  }

  private List<Scenario> scenarios() {
    boolean custom = producers != null || consumers != null || size != null || count != null || window != null
        || rate != null || warmupSeconds != null;
    if (rate != null && rate < 1) {
      throw new IllegalArgumentException("--rate must be at least 1 msg/s, was " + rate);
    }
    if (custom && scenarios != null) {
      throw new IllegalArgumentException("give either --scenario or a custom workload, not both");
    }
    if (!custom) {
      return Scenario.parseList(scenarios == null ? "all" : scenarios);
    }
    return List.of(Scenario.custom(orElse(producers, 1), orElse(consumers, 1), orElse(size, 100),
        orElse(count, 100_000), orElse(window, Scenario.DEFAULT_WINDOW), orElse(rate, 0),
        orElse(warmupSeconds, 0)));
  }

  private BenchTarget target() {
    if (host == null && port == null) {
      checkBrokerSettings();
      return new BenchTarget.SpawnedBroker(BenchPlan.splitOptions(brokerJvmOpts), brokerSettings);
    }
    if (!brokerSettings.isEmpty()) {
      throw new IllegalArgumentException("--broker-set applies to the brokers the bench starts, so it cannot be"
          + " combined with --host/--port of a running one");
    }
    if (port == null) {
      throw new IllegalArgumentException("--host needs --port");
    }
    return new BenchTarget.RunningBroker(host == null ? "127.0.0.1" : host, port);
  }

  /** Checked here, before any broker starts, as the broker itself would: a typo fails at once, with exit 2. */
  private void checkBrokerSettings() {
    java.util.Map<String, Object> overrides = new java.util.LinkedHashMap<>();
    for (String setting : brokerSettings) {
      try {
        java.util.Map.Entry<String, String> entry = BrokerConfig.parseAssignment(setting);
        overrides.put(entry.getKey(), entry.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--broker-set " + setting + ": " + e.getMessage(), e);
      }
    }
    try {
      BrokerConfig.defaults().with(overrides);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--broker-set: " + e.getMessage(), e);
    }
  }

  /** The default broker JVM options live in one resource file, shared with the Makefile. */
  static final class BrokerJvmOptionsDefault implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
      return argSpec.isOption() && ((CommandLine.Model.OptionSpec) argSpec).longestName().equals("--broker-jvm-opts")
          ? BenchPlan.defaultBrokerJvmOptions() : null;
    }
  }

  private static int orElse(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
