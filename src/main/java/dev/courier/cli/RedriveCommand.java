package dev.courier.cli;

import dev.courier.client.BrokerErrors;
import dev.courier.client.Credentials;
import dev.courier.client.FrameConnection;
import dev.courier.client.Handshake;
import dev.courier.protocol.Frame;
import io.vertx.core.Vertx;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
    Vertx vertx = Vertx.vertx();
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
    BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    // As for stats: with credentials, register as a producer of the default topic (which creates
    // nothing) so that the broker knows who asks; anonymous clients need no register.
    Credentials credentials = endpoint.credentials();
    Frame.Register register = credentials.isPresent() ? credentials.apply(new Frame.Register(Frame.Role.PRODUCER)) : null;
    FrameConnection connection = Handshake.open(vertx, endpoint.host, endpoint.port, endpoint.tls(), register,
        Handshake.DEFAULT_DEADLINE_MS, frame -> {
      if (frame instanceof Frame.RedriveReply reply) {
        replies.add(reply.moved());
      } else if (frame instanceof Frame.Error error) {
        replies.add(new IllegalStateException(BrokerErrors.describe(error)));
      }
    }).await();
    connection.closed().onComplete(v -> replies.add(new IllegalStateException("the broker closed the connection"
        + (connection.failure() == null ? "" : ": " + connection.failure()))));
    try {
      connection.send(new Frame.Redrive(topic, limit));
      Object reply = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (reply == null) {
        throw new IllegalStateException("no redrive reply within " + REPLY_TIMEOUT_SECONDS + " s");
      } else if (reply instanceof Exception e) {
        throw e;
      }
      return (Long) reply;
    } finally {
      connection.close();
    }
  }
}
