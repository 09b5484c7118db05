package dev.courier.cli;

import dev.courier.client.CourierClient;
import dev.courier.client.ProducerOptions;
import dev.courier.client.ProducerSummary;
import dev.courier.client.ProducerVerticle;
import dev.courier.client.PublishLifecycle;
import dev.courier.protocol.Frame;
import dev.courier.server.Signals;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "producer", mixinStandardHelpOptions = true,
    description = {"Publishes messages and waits for each confirmation, then prints a summary (also on Ctrl+C).",
        "With no messages it sends task-0 ... task-4, like the seed's producer."})
final class ProducerCommand implements Callable<Integer> {
  private static final int DEFAULT_SIZE = 100;

  @Mixin
  Endpoint endpoint;

  @Option(names = "--topic", description = "topic to publish to (default: the broker's default topic)")
  String topic;

  @Parameters(paramLabel = "MESSAGE", description = "messages to publish, one per argument")
  List<String> messages = List.of();

  @Option(names = "--stdin", description = "publish each line read from standard input")
  boolean fromStdin;

  @Option(names = "--count", paramLabel = "N", description = "publish N generated messages")
  Long count;

  @Option(names = "--size", paramLabel = "BYTES", description = "with --count: size of each message (default: " + DEFAULT_SIZE + ")")
  Integer size;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0", description = "publish at most this many a second; 0 for as fast as confirmed")
  double rate;

  @Option(names = "--window", paramLabel = "N", defaultValue = "1000", description = "unconfirmed publishes in flight at most (default: ${DEFAULT-VALUE}); 1 waits for each ok")
  int window;

  @Option(names = "--delay-ms", paramLabel = "MS",
      description = {"deliver each message not before MS after its publish (0 to a year)",
          "(not served by the broker yet: it refuses such publishes with bad_request)"})
  Long delayMs;

  @Option(names = "--ttl-ms", paramLabel = "MS",
      description = {"a message no group acked within MS of its publish is not delivered again (1 to a year)",
          "(not served by the broker yet: it refuses such publishes with bad_request)"})
  Long ttlMs;

  @Option(names = "--dedup-id", paramLabel = "ID",
      description = {"dedup id of the message, or with several the prefix of ID-0, ID-1, ...: a publish with an id",
          "already seen is confirmed as a duplicate and not stored again",
          "(not served by the broker yet: it refuses such publishes with bad_request)"})
  String dedupId;

  @Override
  public Integer call() throws Exception {
    try {
      validate();
    } catch (Usage.Mistake e) {
      return Usage.report("producer", e);
    }
    List<String> payloads = fromStdin ? readStdin() : messages;
    if (payloads.isEmpty() && count == null && !fromStdin) {
      payloads = ProducerOptions.SEED_MESSAGES;
    }
    ProducerOptions options;
    try {
      options = new ProducerOptions(endpoint.host, endpoint.port, topic, payloads, count == null ? 0 : count,
          size == null ? DEFAULT_SIZE : size, rate, window, endpoint.tls(), endpoint.credentials(),
          new PublishLifecycle(delayMs, ttlMs, dedupId));
    } catch (IllegalArgumentException e) {
      return Usage.report("producer", e);
    }
    Vertx vertx = CourierClient.newVertx();
    ProducerVerticle producer = new ProducerVerticle(options);
    producer.onProgress(1000, p -> System.err.printf("producer: sent %d of %d, confirmed %d, errors %d%n",
        p.sent(), options.total(), p.confirmed(), p.errors()));
    // Before connecting, so that Ctrl+C at any point ends with the summary instead of exit 130.
    AtomicBoolean stopRequested = new AtomicBoolean();
    Signals.onTerminate(() -> {
      stopRequested.set(true);
      vertx.close();
    });
    try {
      vertx.deployVerticle(producer).await();
    } catch (Exception e) {
      vertx.close().await();
      if (stopRequested.get()) {
        System.err.println("courier producer: stopped before it connected; nothing sent");
        return 1;
      }
      System.err.println("courier producer: " + e.getMessage());
      return 1;
    }
    ProducerSummary summary = producer.completion().await();
    vertx.close().await();
    System.out.println("producer: " + summary.describe());
    summary.errorLines().forEach(line -> System.err.println("courier producer: " + line));
    return summary.isComplete() ? 0 : 1;
  }

  /** Every option checked before anything connects; conflicting ones refused, not half obeyed. */
  void validate() {
    endpoint.validate();
    Usage.name("--topic", topic);
    Usage.require(!(fromStdin && !messages.isEmpty()), "--stdin publishes standard input, so it cannot be combined"
        + " with message arguments (got " + messages.size() + "); give one or the other");
    Usage.require(count == null || (messages.isEmpty() && !fromStdin), "--count " + count + " generates messages,"
        + " so it cannot be combined with " + (fromStdin ? "--stdin" : "message arguments (got " + messages.size() + ")")
        + "; give one or the other");
    Usage.require(size == null || count != null, "--size " + size + " sets the size of generated messages,"
        + " so it needs --count N");
    if (count != null) {
      Usage.atLeast("--count", count, 0, "");
    }
    if (size != null) {
      Usage.atLeast("--size", size, 1, " byte");
    }
    Usage.require(Double.isFinite(rate) && rate >= 0, "--rate must be 0 (as fast as confirmed) or a positive"
        + " number of messages a second, was " + (rate == Math.rint(rate) ? String.valueOf((long) rate) : rate));
    Usage.atLeast("--window", window, 1, " unconfirmed publish");
    if (delayMs != null) {
      Usage.within("--delay-ms", delayMs, 0, Frame.Publish.MAX_DELAY_MS, " ms (a year)");
    }
    if (ttlMs != null) {
      Usage.within("--ttl-ms", ttlMs, 1, Frame.Publish.MAX_DELAY_MS, " ms (a year)");
    }
    Usage.require(dedupId == null || !dedupId.isEmpty(), "--dedup-id must not be empty");
  }

  private static List<String> readStdin() throws java.io.IOException {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    }
  }
}
