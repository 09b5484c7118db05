package dev.courier.cli;

import dev.courier.client.ConsumerOptions;
import dev.courier.client.ConsumerSummary;
import dev.courier.client.ConsumerVerticle;
import dev.courier.client.CourierClient;
import dev.courier.client.NackPlan;
import dev.courier.protocol.Frame;
import dev.courier.server.Signals;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "consumer", mixinStandardHelpOptions = true,
    description = {"Receives messages, prints and acks each, and prints a summary after --count messages or on Ctrl+C."})
final class ConsumerCommand implements Callable<Integer> {
  @Mixin
  Endpoint endpoint;

  @Option(names = "--topic", description = "topic to consume (default: the broker's default topic)")
  String topic;

  @Option(names = "--group", description = "consumer group; every group gets every message (default: default)")
  String group;

  @Option(names = "--prefetch", paramLabel = "N",
      description = "unacked messages to hold at most, at least 1 (capped by the broker; with --count, by what is still wanted)")
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

  @Option(names = "--nack-every", paramLabel = "N",
      description = "nack every Nth message instead of acking it (1: every one), to play a consumer that fails now and then")
  Long nackEvery;

  @Option(names = "--nack-delay-ms", paramLabel = "MS",
      description = "with --nack-every: a nacked message is redelivered not before MS (default: at once)")
  Long nackDelayMs;

  @Override
  public Integer call() throws Exception {
    ConsumerOptions options;
    try {
      validate();
      options = new ConsumerOptions(endpoint.host, endpoint.port, topic, group, prefetch, fromLatest, count,
          ackDelayMs, !noAck, endpoint.tls(), endpoint.credentials(),
          new NackPlan(nackEvery == null ? 0 : nackEvery, nackDelayMs));
    } catch (IllegalArgumentException e) {
      return Usage.report("consumer", e);
    }
    // Buffered, and flushed once per event-loop turn rather than per line: a reader of a pipe sees
    // each message at once, while a burst of messages still costs one write.
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    Vertx vertx = CourierClient.newVertx();
    Handler<Frame.Message> display = quiet ? m -> { } : new FlushingDisplay(vertx, out);
    ConsumerVerticle consumer = new ConsumerVerticle(options, display);
    consumer.onProgress(1000, p -> {
      if (quiet) {
        System.err.printf("consumer: received %d, acked %d%n", p.received(), p.acked());
      }
    });
    AtomicBoolean stopRequested = new AtomicBoolean();
    Signals.onTerminate(() -> {
      stopRequested.set(true);
      vertx.close();
    });
    try {
      vertx.deployVerticle(consumer).await();
    } catch (Exception e) {
      vertx.close().await();
      if (stopRequested.get()) {
        // Ctrl+C or SIGTERM while connecting is how a consumer is stopped, not a failure.
        out.println("consumer: stopped before it connected; received 0");
        out.flush();
        return 0;
      }
      System.err.println("courier consumer: " + e.getMessage());
      return 1;
    }
    ConsumerSummary summary = consumer.completion().await();
    vertx.close().await();
    out.println("consumer: " + summary.describe());
    out.flush();
    summary.errorLines().forEach(line -> System.err.println("courier consumer: " + line));
    return summary.failure() == null ? 0 : 1;
  }

  void validate() {
    endpoint.validate();
    Usage.name("--topic", topic);
    Usage.name("--group", group);
    if (prefetch != null) {
      Usage.atLeast("--prefetch", prefetch, 1, " (0 would never receive anything)");
    }
    Usage.atLeast("--count", count, 0, "");
    Usage.atLeast("--ack-delay", ackDelayMs, 0, " ms");
    Usage.require(!(noAck && ackDelayMs > 0), "--ack-delay " + ackDelayMs + " delays acks, so it cannot be combined"
        + " with --no-ack; give one or the other");
    if (nackEvery != null) {
      Usage.atLeast("--nack-every", nackEvery, 1, " (1 nacks every message)");
      Usage.require(!noAck, "--nack-every " + nackEvery + " answers messages with nacks, so it cannot be combined"
          + " with --no-ack, which never answers; give one or the other");
    }
    if (nackDelayMs != null) {
      Usage.require(nackEvery != null, "--nack-delay-ms " + nackDelayMs + " delays the redelivery of nacked messages,"
          + " so it needs --nack-every N");
      Usage.within("--nack-delay-ms", nackDelayMs, 0, Frame.Publish.MAX_DELAY_MS, " ms (a year)");
    }
  }

  /** Prints each message; the first of a loop turn schedules one flush at the end of that turn. */
  private static final class FlushingDisplay implements Handler<Frame.Message> {
    private final Vertx vertx;
    private final PrintStream out;
    private boolean flushPending;

    FlushingDisplay(Vertx vertx, PrintStream out) {
      this.vertx = vertx;
      this.out = out;
    }

    @Override
    public void handle(Frame.Message m) {
      out.println("message id=" + Long.toUnsignedString(m.id()) + ": " + m.payload());
      if (!flushPending) {
        flushPending = true;
        vertx.runOnContext(v -> {
          flushPending = false;
          out.flush();
        });
      }
    }
  }
}
