package dev.courier.cli;

import dev.courier.bench.BenchPlan;
import dev.courier.config.BrokerConfig;
import dev.courier.http.HttpVerticle;
import dev.courier.server.BrokerVerticle;
import dev.courier.server.Signals;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Runs the broker until SIGINT or SIGTERM, then drains in-flight messages and exits 0.",
        "Settings: defaults, then --config FILE, then each --set, then --host/--port."})
final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--host", description = "address to listen on (default: from config, 127.0.0.1)")
  String host;

  @Option(names = "--port", description = "port to listen on, 0 for any free one (default: from config, 8080)")
  Integer port;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON settings file, e.g. conf/broker.json")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting, e.g. --set ack_timeout_ms=500")
  List<String> assignments = List.of();

  @Override
  public Integer call() throws Exception {
    BrokerConfig config;
    try {
      config = resolveConfig();
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("courier broker: " + e.getMessage());
      return 2;
    }
    UntunedJvmWarning.of(ManagementFactory.getRuntimeMXBean().getInputArguments(), BenchPlan.defaultBrokerJvmOptions())
        .ifPresent(LoggerFactory.getLogger(BrokerCommand.class)::warn);
    Vertx vertx = HttpVerticle.vertxFor(config);
    CountDownLatch stopped = new CountDownLatch(1);
    // Installed before the broker announces itself, so that no signal can find the JVM default.
    Signals.onTerminate(() -> vertx.close().onComplete(ar -> stopped.countDown()));
    try {
      vertx.deployVerticle(new BrokerVerticle(config)).await();
    } catch (Exception e) {
      // Exit 1, not 2: the settings were valid; the broker cannot start now (data_dir locked by
      // another broker, a damaged file, the port taken). The message says which and what to do.
      System.err.println("courier broker: cannot start: " + e.getMessage());
      vertx.close().await();
      return 1;
    }
    stopped.await();
    return 0;
  }

  private BrokerConfig resolveConfig() throws java.io.IOException {
    BrokerConfig config = configFile != null ? BrokerConfig.load(configFile) : BrokerConfig.defaults();
    Map<String, Object> overrides = new LinkedHashMap<>();
    for (String assignment : assignments) {
      Map.Entry<String, String> entry = BrokerConfig.parseAssignment(assignment);
      overrides.put(entry.getKey(), entry.getValue());
    }
    if (host != null) {
      overrides.put("host", host);
    }
    if (port != null) {
      overrides.put("port", port);
    }
    return overrides.isEmpty() ? config : config.with(overrides);
  }
}
