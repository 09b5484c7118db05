package dev.courier.cli;

import dev.courier.client.ConsumerOptions;
import dev.courier.client.ConsumerSummary;
import dev.courier.client.ConsumerVerticle;
import dev.courier.protocol.Frame;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "consumer", mixinStandardHelpOptions = true,
    description = {"Receives messages, prints and acks each, and prints a summary after --count",
        "messages or on Ctrl+C."})
final class ConsumerCommand implements Callable<Integer> {
  @Mixin
  Endpoint endpoint;

  @Option(names = "--topic", description = "topic to consume (default: the broker's default topic)")
  String topic;

  @Option(names = "--group", description = "consumer group; every group gets every message (default: default)")
  String group;

  @Option(names = "--prefetch", paramLabel = "N", description = "unacked messages to hold at most (capped by the broker)")
  Integer prefetch;

  @Option(names = "--latest", description = "a new group starts with new messages instead of the oldest retained")
  boolean fromLatest;

  @Option(names = "--count", paramLabel = "N", description = "stop after N messages (default: run until Ctrl+C)")
  long count;

  @Option(names = "--quiet", description = "print only the progress and the summary, not each message")
  boolean quiet;

  @Option(names = "--ack-delay", paramLabel = "MS", description = "wait this long before acking each message")
  long ackDelayMs;

  @Option(names = "--no-ack", description = "never ack, to play a failing consumer (messages are redelivered)")
  boolean noAck;

  @Override
  public Integer call() throws Exception {
    ConsumerOptions options;
    try {
      options = new ConsumerOptions(endpoint.host, endpoint.port, topic, group, prefetch, fromLatest, count,
          ackDelayMs, !noAck, endpoint.tls());
    } catch (IllegalArgumentException e) {
      System.err.println("courier consumer: " + e.getMessage());
      return 2;
    }
    // Buffered: printing each message with its own flush would cap the consumer's speed.
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    Handler<Frame.Message> display = quiet
        ? m -> { }
        : m -> out.println("message id=" + Long.toUnsignedString(m.id()) + ": " + m.payload());
    Vertx vertx = Vertx.vertx();
    ConsumerVerticle consumer = new ConsumerVerticle(options, display);
    consumer.onProgress(1000, p -> {
      out.flush();
      if (quiet) {
        System.err.printf("consumer: received %d, acked %d%n", p.received(), p.acked());
      }
    });
    try {
      vertx.deployVerticle(consumer).await();
    } catch (Exception e) {
      System.err.println("courier consumer: " + e.getMessage());
      vertx.close().await();
      return 1;
    }
    Signals.onTerminate(() -> vertx.close());
    ConsumerSummary summary = consumer.completion().await();
    vertx.close().await();
    out.println("consumer: " + summary.describe());
    out.flush();
    return summary.failure() == null ? 0 : 1;
  }
}
