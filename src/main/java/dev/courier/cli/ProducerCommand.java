package dev.courier.cli;

import dev.courier.client.ProducerOptions;
import dev.courier.client.ProducerSummary;
import dev.courier.client.ProducerVerticle;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "producer", mixinStandardHelpOptions = true,
    description = {"Publishes messages and waits for each confirmation, then prints a summary.",
        "With no messages it sends task-0 ... task-4, like the seed's producer."})
final class ProducerCommand implements Callable<Integer> {
  @Mixin
  Endpoint endpoint;

  @Option(names = "--topic", description = "topic to publish to (default: the broker's default topic)")
  String topic;

  @Parameters(paramLabel = "MESSAGE", description = "messages to publish, one per argument")
  List<String> messages = List.of();

  @Option(names = "--stdin", description = "publish each line read from standard input")
  boolean fromStdin;

  @Option(names = "--count", paramLabel = "N", description = "publish N generated messages")
  long count;

  @Option(names = "--size", paramLabel = "BYTES", defaultValue = "100", description = "size of generated messages (default: ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0", description = "publish at most this many a second; 0 for as fast as confirmed")
  double rate;

  @Option(names = "--window", paramLabel = "N", defaultValue = "1000", description = "unconfirmed publishes in flight at most (default: ${DEFAULT-VALUE}); 1 waits for each ok")
  int window;

  @Override
  public Integer call() throws Exception {
    List<String> payloads = fromStdin ? readStdin() : messages;
    if (payloads.isEmpty() && count == 0 && !fromStdin) {
      payloads = ProducerOptions.SEED_MESSAGES;
    }
    ProducerOptions options;
    try {
      options = new ProducerOptions(endpoint.host, endpoint.port, topic, payloads, count, size, rate, window,
          endpoint.tls());
    } catch (IllegalArgumentException e) {
      System.err.println("courier producer: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    ProducerVerticle producer = new ProducerVerticle(options);
    producer.onProgress(1000, p -> System.err.printf("producer: sent %d of %d, confirmed %d, errors %d%n",
        p.sent(), options.total(), p.confirmed(), p.errors()));
    try {
      vertx.deployVerticle(producer).await();
    } catch (Exception e) {
      System.err.println("courier producer: " + e.getMessage());
      vertx.close().await();
      return 1;
    }
    ProducerSummary summary = producer.completion().await();
    vertx.close().await();
    System.out.println("producer: " + summary.describe());
    return summary.isComplete() ? 0 : 1;
  }

  private static List<String> readStdin() throws java.io.IOException {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    }
  }
}
