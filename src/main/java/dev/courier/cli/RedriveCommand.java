package dev.courier.cli;

import dev.courier.client.CourierClient;
import dev.courier.protocol.Frame;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "redrive", mixinStandardHelpOptions = true,
    description = {"Moves dead letters back to the topic and group they came from, attempts reset (a redrive frame),",
        "and prints how many moved."})
final class RedriveCommand implements Callable<Integer> {
  /** Moving dead letters is the broker's work on its loop, bounded by --limit; this bounds a hung broker. */
  private static final long REPLY_TIMEOUT_SECONDS = 30;

  @Mixin
  Endpoint endpoint;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC",
      description = "the dead-letter topic to move messages out of, e.g. orders.dlq")
  String topic;

  @Option(names = "--limit", paramLabel = "N", description = "move at most N dead letters, oldest first (default: all)")
  Integer limit;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      validate();
    } catch (Usage.Mistake e) {
      return Usage.report("redrive", e);
    }
    Vertx vertx = CourierClient.newVertx();
    try {
      long moved = redrive(vertx);
      spec.commandLine().getOut().println("redrive: moved " + moved + " from " + topic);
      spec.commandLine().getOut().flush();
      return 0;
    } catch (Exception e) {
      spec.commandLine().getErr().println("courier redrive: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    } finally {
      vertx.close().await();
    }
  }

  void validate() {
    endpoint.validate();
    Usage.name("--topic", topic);
    if (limit != null) {
      Usage.atLeast("--limit", limit, 1, " dead letter");
    }
  }

  private long redrive(Vertx vertx) throws Exception {
    try (OperatorLink link = new OperatorLink(vertx, endpoint, "redrive", REPLY_TIMEOUT_SECONDS,
        frame -> frame instanceof Frame.RedriveReply reply ? reply.moved() : null)) {
      return (Long) link.ask(new Frame.Redrive(topic, limit));
    }
  }
}
