package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.STATS;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.frame;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

/**
 * Memory that peers make the broker hold on the way in: the budget for frames in progress, the
 * deadline for finishing one, and the back-pressure that stops reading a peer that does not read.
 * Each test also checks that a healthy producer/consumer pair keeps working.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ResourceLimitsTest {
  private static final int MAX_FRAME_BYTES = 1024;
  /** Two unfinished frames of the largest size use all of it. */
  private static final int BUDGET_BYTES = 2 * MAX_FRAME_BYTES;

  private NetClient netClient;
  /** A peer that reads nothing until the test says so: a tiny receive buffer fills at once. */
  private NetClient deafClient;

  @BeforeEach
  void createClients(Vertx vertx) {
    netClient = vertx.createNetClient();
    deafClient = vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(65536));
  }

  private record Env(TestBroker broker, WireClient producer, WireClient consumer) {}

  @Test
  void unfinishedFramesThatUseUpTheBudgetDelayOnlyFramesArrivingInPiecesUntilTheyTimeOut(Vertx vertx,
      VertxTestContext testContext) {
    Buffer unfinished = Buffer.buffer().appendInt(MAX_FRAME_BYTES).appendString("{\"type\":\"publish\",\"payload\":\"");
    Buffer inPieces = frame(publish("in pieces"));
    List<WireClient> attackers = new ArrayList<>();
    deploy(vertx, Map.of("frame_timeout_ms", 1_000))
        .compose(env -> env.broker.registeredProducer(netClient, "attacker 1")
            .compose(a -> { attackers.add(a); return env.broker.registeredProducer(netClient, "attacker 2"); })
            .compose(a -> { attackers.add(a); return Future.all(attackers.get(0).sendRaw(unfinished),
                attackers.get(1).sendRaw(unfinished)); })
            .compose(v -> awaitLoad(env, "the attackers hold the whole budget",
                load -> load.reservedFrameBytes() == BUDGET_BYTES && load.midFrame() == 2))
            // Whole frames need no budget: the pair works while the attack holds it all.
            .compose(v -> pairStillWorks(env, 1))
            .compose(v -> env.broker.registeredProducer(netClient, "slow but honest"))
            .compose(slow -> slow.sendRaw(inPieces.slice(0, 10))
                .compose(v -> awaitLoad(env, "the frame in pieces waits for budget", load -> load.waitingForBudget() == 1))
                .compose(v -> slow.sendRaw(inPieces.slice(10, inPieces.length())))
                // Its ok can come only once an attacker's deadline has given budget back.
                .compose(v -> attackers.get(0).expectError("frame_timeout"))
                .compose(v -> attackers.get(0).expectClose())
                .compose(v -> attackers.get(1).expectError("frame_timeout"))
                .compose(v -> attackers.get(1).expectClose())
                .compose(v -> slow.expect(OK)))
            .compose(v -> env.consumer.expectMessage(2, "in pieces"))
            .compose(v -> env.consumer.send(ack(2)))
            .compose(v -> pairStillWorks(env, 3))
            .compose(v -> awaitLoad(env, "nothing held any more", load -> load.reservedFrameBytes() == 0
                && load.midFrame() == 0 && load.waitingForBudget() == 0)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aSmallFrameWhosePrefixAndBodyArriveApartPassesHostileLargeFramesThatFillTheirPartOfTheBudget(Vertx vertx,
      VertxTestContext testContext) {
    // 8 MiB in all: 1 MiB kept for frames up to 64 KiB, 7 MiB that seven unfinished 1 MiB frames fill.
    int largeFrame = 1024 * 1024;
    Buffer unfinished = Buffer.buffer().appendInt(largeFrame).appendString("{\"type\":\"publish\",\"payload\":\"");
    Buffer apart = frame(publish("prefix and body apart"));
    List<WireClient> attackers = new ArrayList<>();
    Future<Void> attack = Future.succeededFuture();
    deploy(vertx, Map.of("max_frame_bytes", largeFrame, "max_buffered_frame_bytes", 8 * largeFrame,
        "frame_timeout_ms", 60_000))
        .compose(env -> {
          Future<Void> chain = attack;
          for (int i = 0; i < 8; i++) {
            String name = "attacker " + i;
            chain = chain.compose(v -> env.broker.registeredProducer(netClient, name))
                .compose(a -> { attackers.add(a); return a.sendRaw(unfinished); });
          }
          return chain
              .compose(v -> awaitLoad(env, "seven attackers hold the large part and the eighth waits",
                  load -> load.reservedFrameBytes() == 7L * largeFrame && load.waitingForBudget() == 1))
              .compose(v -> env.broker.registeredProducer(netClient, "two writes"))
              .compose(honest -> honest.sendRaw(apart.slice(0, 4))
                  .compose(v -> awaitLoad(env, "the small frame holds its part", load -> load.midFrame() == 8))
                  .compose(v -> honest.sendRaw(apart.slice(4, apart.length())))
                  .compose(v -> honest.expect(OK)))
              .compose(v -> env.consumer.expectMessage(1, "prefix and body apart"))
              .compose(v -> env.consumer.send(ack(1)))
              .compose(v -> pairStillWorks(env, 2))
              .compose(v -> awaitLoad(env, "the attackers still hold the large part",
                  load -> load.reservedFrameBytes() == 7L * largeFrame && load.waitingForBudget() == 1));
        })
        .onComplete(ar -> attackers.forEach(WireClient::close))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aConnectionDribblingAFrameIsClosedWithFrameTimeout(Vertx vertx, VertxTestContext testContext) {
    Buffer frame = frame(publish("dribbled"));
    deploy(vertx, Map.of("frame_timeout_ms", 300))
        .compose(env -> env.broker.registeredProducer(netClient, "dribbler")
            .compose(dribbler -> {
              // One byte every 20 ms: it never stalls for long, but the frame takes far too long.
              int[] sent = {4};
              long timer = vertx.setPeriodic(20, t -> {
                if (sent[0] < frame.length() - 1) {
                  dribbler.sendRaw(frame.slice(sent[0], sent[0] + 1));
                  sent[0]++;
                }
              });
              return dribbler.sendRaw(frame.slice(0, 4))
                  .compose(v -> dribbler.expectError("frame_timeout"))
                  .compose(v -> dribbler.expectClose())
                  .onComplete(ar -> vertx.cancelTimer(timer));
            })
            .compose(v -> pairStillWorks(env, 1))
            .compose(v -> awaitLoad(env, "the dribbler's reservation is back", load -> load.reservedFrameBytes() == 0)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void closingAConnectionMidFrameGivesItsReservationBack(Vertx vertx, VertxTestContext testContext) {
    Buffer unfinished = Buffer.buffer().appendInt(BUDGET_BYTES / 2).appendString("{");
    deploy(vertx, Map.of("max_frame_bytes", BUDGET_BYTES / 2, "max_buffered_frame_bytes", BUDGET_BYTES / 2))
        .compose(env -> env.broker.registeredProducer(netClient, "holder")
            .compose(holder -> env.broker.registeredProducer(netClient, "waiter")
                .compose(waiter -> holder.sendRaw(unfinished)
                    .compose(v -> awaitLoad(env, "the holder holds it all", load -> load.midFrame() == 1))
                    .compose(v -> waiter.sendRaw(unfinished))
                    .compose(v -> awaitLoad(env, "the waiter waits", load -> load.waitingForBudget() == 1))
                    .compose(v -> holder.close())
                    // The waiter gets the budget the holder gave back, and holds it while its body is unfinished.
                    .compose(v -> awaitLoad(env, "the waiter holds what the holder gave back", load ->
                        load.waitingForBudget() == 0 && load.midFrame() == 1 && load.reservedFrameBytes() == BUDGET_BYTES / 2))
                    .compose(v -> waiter.close())))
            .compose(v -> awaitLoad(env, "nothing held after both closed", load -> load.reservedFrameBytes() == 0
                && load.midFrame() == 0 && load.waitingForBudget() == 0))
            .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void anUnregisteredPeerThatReadsNoRepliesStopsBeingReadAndIsAnsweredOnceItReads(Vertx vertx,
      VertxTestContext testContext) {
    // Far more replies than loopback and the client library absorb (measured: 5,000-6,000 of 6 KB).
    int requests = 40_000;
    Buffer flood = Buffer.buffer();
    for (int i = 0; i < requests; i++) {
      flood.appendBuffer(frame(STATS));
    }
    // Fifty topics make each stats_reply some kilobytes, so unread replies fill the socket quickly.
    List<String> topics = IntStream.range(0, 50).mapToObj(i -> "topic-" + i).toList();
    long[] before = {0};
    deploy(vertx, Map.of("topics", topics))
        .compose(env -> env.broker.verticle.inboundLoad().compose(load -> {
              before[0] = load.framesReceived();
              return deafClient.connect(env.broker.port, "127.0.0.1");
            })
            .compose(deaf -> {
              deaf.pause();
              return deaf.write(flood)
                  // The broker answers until the unread replies fill its write queue, then stops reading.
                  .compose(v -> awaitLoad(env, "some stats requests handled", load -> load.framesReceived() > before[0]))
                  .compose(v -> pairStillWorks(env, 1))
                  .compose(v -> env.broker.verticle.inboundLoad())
                  .compose(load -> {
                    long handled = load.framesReceived() - before[0] - 3;
                    System.out.println("ResourceLimitsTest: handled " + handled + " of " + requests + " unread stats requests");
                    testContext.verify(() -> assertTrue(handled < requests / 4,
                        "handled " + handled + " of " + requests + " stats requests nobody read"));
                    return countStatsReplies(deaf, requests);
                  });
            }))
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- helpers ----

  private Future<Env> deploy(Vertx vertx, Map<String, ?> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put("max_frame_bytes", MAX_FRAME_BYTES);
    config.put("max_buffered_frame_bytes", BUDGET_BYTES);
    config.put("register_timeout_ms", 60_000);
    config.putAll(overrides);
    return TestBroker.deploy(vertx, config).compose(broker ->
        broker.registeredConsumer(netClient, "pair consumer").compose(consumer ->
            broker.registeredProducer(netClient, "pair producer").map(producer -> new Env(broker, producer, consumer))));
  }

  /** Resumes reading the peer and counts its replies until {@code expected} stats replies came. */
  private static Future<Void> countStatsReplies(NetSocket socket, int expected) {
    Promise<Void> done = Promise.promise();
    int[] count = {0};
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] body = {false};
    parser.handler(record -> {
      if (body[0]) {
        parser.fixedSizeMode(4);
        String start = record.getString(0, Math.min(record.length(), 24), StandardCharsets.UTF_8.name());
        if (!start.startsWith("{\"type\":\"stats_reply\"")) {
          done.tryFail(new AssertionFailedError("expected stats replies only, got " + start));
        } else if (++count[0] == expected) {
          done.tryComplete();
        }
      } else {
        parser.fixedSizeMode(record.getInt(0));
      }
      body[0] = !body[0];
    });
    socket.handler(parser);
    socket.closeHandler(v -> done.tryFail(new AssertionFailedError("closed after " + count[0] + " replies")));
    socket.resume();
    return done.future().onSuccess(v -> assertEquals(expected, count[0]));
  }

  private static Future<InboundLoad> awaitLoad(Env env, String description, Predicate<InboundLoad> condition) {
    Promise<InboundLoad> promise = Promise.promise();
    poll(env, description, condition, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TestBroker.DEADLINE_MS), promise);
    return promise.future();
  }

  private static void poll(Env env, String description, Predicate<InboundLoad> condition, long deadlineNanos,
      Promise<InboundLoad> promise) {
    env.broker.verticle.inboundLoad().onFailure(promise::tryFail).onSuccess(load -> {
      if (condition.test(load)) {
        promise.tryComplete(load);
      } else if (System.nanoTime() - deadlineNanos > 0) {
        promise.tryFail(new AssertionFailedError("never " + description + "; last " + load));
      } else {
        env.broker.vertx.setTimer(5, t -> poll(env, description, condition, deadlineNanos, promise));
      }
    });
  }

  /** A publish from the pair's producer reaches the pair's consumer as message {@code id}. */
  private static Future<Void> pairStillWorks(Env env, long id) {
    String payload = "still working " + id;
    return env.producer.send(publish(payload))
        .compose(v -> env.producer.expect(OK))
        .compose(v -> env.consumer.expectMessage(id, payload))
        .compose(v -> env.consumer.send(ack(id), ack(id)))
        .compose(v -> env.consumer.expectError("unknown_message"))
        .mapEmpty();
  }
}
