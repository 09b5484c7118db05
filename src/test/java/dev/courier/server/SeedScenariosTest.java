package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.REGISTER_CONSUMER;
import static dev.courier.server.WireClient.REGISTER_PRODUCER;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The seed's five scenarios, over real sockets, with the seed's frames byte for byte. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SeedScenariosTest {
  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void consumerReceivesPublishedMessagesInOrderAndAcksEach(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("consumer").send("consumer", REGISTER_CONSUMER)
            .connect("producer").send("producer", REGISTER_PRODUCER)
            .send("producer", publish("one"), publish("two"), publish("three")).expect("producer", OK, OK, OK)
            .expectMessage("consumer", 1, "one").send("consumer", ack(1))
            .expectMessage("consumer", 2, "two").send("consumer", ack(2))
            .expectMessage("consumer", 3, "three").send("consumer", ack(3))
            .awaitStats("3 acked, none in flight", s -> s.acked() == 3 && s.inFlight() == 0)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void producerGetsOneOkPerPublishAndNoMore(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("producer").send("producer", REGISTER_PRODUCER)
            .send("producer", publish("a")).expect("producer", OK)
            .send("producer", publish("b"), publish("c")).expect("producer", OK, OK)
            // Marker: an ack from a producer is answered with wrong_role; had a fourth ok been
            // sent, it would arrive before this error.
            .send("producer", ack(1)).expectError("producer", "wrong_role")
            .stats(stats -> {
              assertEquals(3, stats.published());
              assertEquals(3, stats.ready());
            })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void roundRobinGivesTwoConsumersTwoMessagesEach(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("first").consumer("second")
            .connect("producer").send("producer", REGISTER_PRODUCER)
            .send("producer", publish("m1"), publish("m2"), publish("m3"), publish("m4"))
            .expect("producer", OK, OK, OK, OK)
            .expectMessage("first", 1, "m1").expectMessage("first", 3, "m3")
            .expectMessage("second", 2, "m2").expectMessage("second", 4, "m4")
            .send("first", ack(1), ack(3), ack(0))
            .send("second", ack(2), ack(4), ack(0))
            // The unknown_message reply to ack 0 is the marker: no third message came first.
            .expectError("first", "unknown_message")
            .expectError("second", "unknown_message")
            .awaitStats("4 acked", s -> s.acked() == 4 && s.inFlight() == 0 && s.ready() == 0)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void messagesPublishedBeforeAnyConsumerArriveInOrder(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("producer").send("producer", REGISTER_PRODUCER)
            .send("producer", publish("early-1"), publish("early-2"), publish("early-3"))
            .expect("producer", OK, OK, OK)
            .stats(stats -> assertEquals(3, stats.ready(), "all three wait for a consumer"))
            .connect("late consumer").send("late consumer", REGISTER_CONSUMER)
            .expectMessage("late consumer", 1, "early-1").send("late consumer", ack(1))
            .expectMessage("late consumer", 2, "early-2").send("late consumer", ack(2))
            .expectMessage("late consumer", 3, "early-3").send("late consumer", ack(3))
            .awaitStats("3 acked", s -> s.acked() == 3 && s.inFlight() == 0)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void twoProducersOneConsumerAllFourDelivered(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of()).compose(broker -> broker.consumer(netClient, "consumer")
        .compose(consumer -> Future.all(
                broker.producer(netClient, "producer-1").compose(p -> publishTwo(p, "p1-a", "p1-b")),
                broker.producer(netClient, "producer-2").compose(p -> publishTwo(p, "p2-a", "p2-b")))
            .compose(v -> receive(consumer, 4))
            .compose(frames -> {
              testContext.verify(() -> {
                List<String> payloads = new ArrayList<>();
                for (int i = 0; i < frames.size(); i++) {
                  JsonObject frame = frames.get(i);
                  String payload = frame.getString("payload");
                  payloads.add(payload);
                  // Ids are assigned in the order the broker saw the publishes, from 1.
                  assertEquals(WireClient.message(i + 1, payload), frame.encode());
                }
                assertEquals(List.of("p1-a", "p1-b"), payloads.stream().filter(p -> p.startsWith("p1")).toList());
                assertEquals(List.of("p2-a", "p2-b"), payloads.stream().filter(p -> p.startsWith("p2")).toList());
              });
              return consumer.send(ack(1), ack(2), ack(3), ack(4));
            }))
        .compose(v -> broker.awaitStats("4 acked", s -> s.published() == 4 && s.acked() == 4)))
        .onComplete(testContext.succeedingThenComplete());
  }

  private static Future<Void> publishTwo(WireClient producer, String first, String second) {
    return producer.send(publish(first))
        .compose(v -> producer.expect(OK))
        .compose(v -> producer.send(publish(second)))
        .compose(v -> producer.expect(OK));
  }

  /** The next {@code count} frames, in order. */
  static Future<List<JsonObject>> receive(WireClient client, int count) {
    Future<List<JsonObject>> frames = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < count; i++) {
      frames = frames.compose(list -> client.next().map(frame -> {
        list.add(frame);
        return list;
      }));
    }
    return frames;
  }
}
