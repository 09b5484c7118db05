package dev.courier.server;

import dev.courier.core.BrokerStats;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * A socket test as a transcript: named peers connect, send literal frames and expect literal frames
 * in order, one line per step, instead of {@code compose} chains nested once per peer. Nothing runs
 * while the steps are written; {@link #run()} runs them one after another and fails at the first
 * step whose expectation fails (or whose check throws), naming the step.
 *
 * <pre>
 * Scenario.on(broker, netClient)
 *     .consumer("c").producer("p")
 *     .send("p", publish("x")).expect("p", OK)
 *     .expectMessage("c", 1, "x")
 *     .run()
 * </pre>
 *
 * With a {@link DurableBroker}, {@link #restart()} stops the broker gracefully and starts it again
 * on the same data_dir; later steps talk to the new one (peers of the old one are gone: connect
 * again under any name).
 */
final class Scenario {
  private final NetClient netClient;
  private final DurableBroker durable;
  private TestBroker broker;
  private final Map<String, WireClient> peers = new HashMap<>();
  private final List<Step> steps = new ArrayList<>();

  private record Step(String description, Supplier<Future<?>> action) {}

  private Scenario(TestBroker broker, DurableBroker durable, NetClient netClient) {
    this.broker = broker;
    this.durable = durable;
    this.netClient = netClient;
  }

  /** A transcript against a broker that is running already. */
  static Scenario on(TestBroker broker, NetClient netClient) {
    return new Scenario(broker, null, netClient);
  }

  /** A transcript that first starts {@code durable}'s broker (with {@code overrides}) and may restart it. */
  static Scenario start(DurableBroker durable, NetClient netClient, Object... overrides) {
    Scenario scenario = new Scenario(null, durable, netClient);
    return scenario.step("start the durable broker", () -> durable.start(overrides).map(b -> scenario.broker = b));
  }

  // ---- peers ----

  /** A producer whose registration the broker has processed (its barrier ack gets wrong_role). */
  Scenario producer(String name) {
    return producer(name, WireClient.REGISTER_PRODUCER);
  }

  /** As {@link #producer(String)}, registering with this literal frame. */
  Scenario producer(String name, String register) {
    return connectAs(name, "register producer", () -> broker.registeredProducer(netClient, name, register));
  }

  /** A consumer whose registration the broker has processed (its barrier ack gets unknown_message). */
  Scenario consumer(String name) {
    return consumer(name, WireClient.REGISTER_CONSUMER);
  }

  /** As {@link #consumer(String)}, registering with this literal frame. */
  Scenario consumer(String name, String register) {
    return connectAs(name, "register consumer " + register, () -> broker.registeredConsumer(netClient, name, register));
  }

  /**
   * A consumer that registers with no barrier: for one that is given messages at once, which
   * would arrive ahead of a barrier's reply.
   */
  Scenario subscribe(String name, String register) {
    return connectAs(name, "subscribe " + register, () -> broker.consumer(netClient, name, register));
  }

  /** A connection that has sent nothing yet. */
  Scenario connect(String name) {
    return connectAs(name, "connect", () -> broker.connect(netClient, name));
  }

  // ---- the transcript ----

  /** {@code name} sends these literal frames, in one write. */
  Scenario send(String name, String... frames) {
    return step(name + " sends " + String.join(" ", frames), () -> peer(name).send(frames));
  }

  /** The next frames {@code name} receives are byte for byte these, in this order. */
  Scenario expect(String name, String... frames) {
    Scenario scenario = this;
    for (String frame : frames) {
      scenario = step(name + " receives " + frame, () -> peer(name).expect(frame));
    }
    return scenario;
  }

  /** The next {@code count} frames {@code name} receives are each {@code {"type":"ok"}}. */
  Scenario expectOks(String name, int count) {
    return step(name + " receives " + count + " ok", () -> peer(name).expectOks(count));
  }

  /** The next frame is exactly {@code {"type":"message","id":id,"payload":payload}}. */
  Scenario expectMessage(String name, long id, String payload) {
    return expect(name, WireClient.message(id, payload));
  }

  /** The next frame is an extended message with these fields and nothing after its timestamp. */
  Scenario expectExtendedMessage(String name, long id, String payload, String topic, int attempt) {
    return step(name + " receives extended message " + id + " " + payload + " attempt " + attempt,
        () -> peer(name).expectExtendedMessage(id, payload, topic, attempt));
  }

  /**
   * For an extended consumer: the next frames are first deliveries of exactly these ids of
   * {@code topic} (payload {@code "m" + id}); acks them all and proves nothing else arrived.
   */
  Scenario expectOnlyAndAck(String name, String topic, long... ids) {
    return step(name + " receives only and acks " + Arrays.toString(ids),
        () -> peer(name).expectOnlyAndAck(topic, ids));
  }

  /** As {@link #expectExtendedMessage}, whatever follows the timestamp; then the frame passes {@code check}. */
  Scenario expectExtendedMessage(String name, long id, String payload, String topic, int attempt,
      Consumer<JsonObject> check) {
    return step(name + " receives extended message " + id + " attempt " + attempt + " that passes its check",
        () -> peer(name).nextExtendedMessage(id, payload, topic, attempt).map(frame -> {
          check.accept(frame);
          return frame;
        }));
  }

  /** The next frame is a {@code stats_reply} (type, broker, topics, connections) that passes {@code check}. */
  Scenario expectStatsReply(String name, Consumer<JsonObject> check) {
    return step(name + " receives a stats_reply that passes its check", () -> peer(name).expectStatsReply().map(reply -> {
      check.accept(reply);
      return reply;
    }));
  }

  /** The next frame, parsed, satisfies {@code check} (which asserts). */
  Scenario expectFrame(String name, Consumer<JsonObject> check) {
    return step(name + " receives a frame that passes its check", () -> peer(name).next().map(frame -> {
      check.accept(frame);
      return frame;
    }));
  }

  /** The next frame is an error with this code and a message. */
  Scenario expectError(String name, String code) {
    return step(name + " receives error " + code, () -> peer(name).expectError(code));
  }

  /** Nothing is waiting for {@code name}: an ack of id 0 is answered next, with unknown_message. */
  Scenario expectNothingMore(String name) {
    return step(name + " receives nothing more", () -> peer(name).expectNothingMore());
  }

  /** The broker closes {@code name}'s connection, with nothing unread before it. */
  Scenario expectClose(String name) {
    return step(name + " is closed by the broker", () -> peer(name).expectClose());
  }

  /** {@code name} closes its connection. */
  Scenario close(String name) {
    return step(name + " closes", () -> peer(name).close());
  }

  // ---- the broker ----

  /** The broker's stats, taken on its loop now, pass {@code check} (which asserts). */
  Scenario stats(Consumer<BrokerStats> check) {
    return step("stats pass their check", () -> broker.stats().map(stats -> {
      check.accept(stats);
      return stats;
    }));
  }

  /** Polls the stats until {@code condition} holds (bounded by {@link TestBroker#DEADLINE_MS}). */
  Scenario awaitStats(String description, Predicate<BrokerStats> condition) {
    return step("stats show " + description, () -> broker.awaitStats(description, condition));
  }

  /** As {@link #awaitStats(String, Predicate)}, then those stats pass {@code check}. */
  Scenario awaitStats(String description, Predicate<BrokerStats> condition, Consumer<BrokerStats> check) {
    return step("stats show " + description, () -> broker.awaitStats(description, condition).map(stats -> {
      check.accept(stats);
      return stats;
    }));
  }

  /** The full snapshot, taken on the broker's loop now, passes {@code check}. */
  Scenario snapshot(Consumer<StatsSnapshot> check) {
    return step("snapshot passes its check", () -> broker.snapshot().map(snapshot -> {
      check.accept(snapshot);
      return snapshot;
    }));
  }

  /** Polls the full snapshot until {@code condition} holds. */
  Scenario awaitSnapshot(String description, Predicate<StatsSnapshot> condition) {
    return step("snapshot shows " + description, () -> broker.awaitSnapshot(description, condition));
  }

  /** As {@link #awaitSnapshot(String, Predicate)}, then that snapshot passes {@code check}. */
  Scenario awaitSnapshot(String description, Predicate<StatsSnapshot> condition, Consumer<StatsSnapshot> check) {
    return step("snapshot shows " + description, () -> broker.awaitSnapshot(description, condition).map(snapshot -> {
      check.accept(snapshot);
      return snapshot;
    }));
  }

  /** Stops the durable broker gracefully and starts it again on the same data_dir, with {@code overrides}. */
  Scenario restart(Object... overrides) {
    if (durable == null) {
      throw new IllegalStateException("restart needs a scenario started from a DurableBroker");
    }
    return step("restart the broker", () -> durable.restart(overrides).map(b -> {
      peers.clear();
      return broker = b;
    }));
  }

  /** Any other step, given this scenario (for its peers and broker). */
  Scenario then(String description, Function<Scenario, Future<?>> action) {
    return step(description, () -> action.apply(this));
  }

  /** A peer connected by an earlier step. */
  WireClient peer(String name) {
    WireClient peer = peers.get(name);
    if (peer == null) {
      throw new IllegalStateException("no peer " + name + " in this scenario: connect it first");
    }
    return peer;
  }

  /** The broker the steps run against now (the newest after a restart). */
  TestBroker broker() {
    return broker;
  }

  /** Runs every step in order; fails at the first failing one, saying which step it was. */
  Future<Void> run() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      String where = "step " + (i + 1) + " (" + step.description() + ")";
      chain = chain.compose(v -> {
        Future<?> result;
        try {
          result = step.action().get();
        } catch (RuntimeException | AssertionError e) {
          result = Future.failedFuture(e);
        }
        return result.<Void>mapEmpty().recover(e -> Future.failedFuture(failedAt(where, e)));
      });
    }
    return chain;
  }

  private static Throwable failedAt(String where, Throwable cause) {
    AssertionFailedError failure = new AssertionFailedError(where + ": " + cause.getMessage(), cause);
    return failure;
  }

  private Scenario connectAs(String name, String what, Supplier<Future<WireClient>> connect) {
    return step(name + " " + what, () -> connect.get().map(client -> {
      peers.put(name, client);
      return client;
    }));
  }

  private Scenario step(String description, Supplier<Future<?>> action) {
    steps.add(new Step(description, action));
    return this;
  }
}
