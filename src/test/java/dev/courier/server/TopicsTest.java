package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.REGISTER_CONSUMER;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.consumerOn;
import static dev.courier.server.WireClient.producerOn;
import static dev.courier.server.WireClient.publish;
import static dev.courier.server.WireClient.publishTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.courier.core.GroupStats;
import dev.courier.core.TopicStats;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Topics and groups over real sockets: fan-out between groups, round-robin inside one, where a new
 * group starts, the seed clients on topic {@code default}, topic overrides, names, and declared
 * topics. Payloads are {@code "m" + id} wherever {@link WireClient#expectOnlyAndAck} reads them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TopicsTest {
  // Kept in a field: an unreachable NetClient may be reclaimed and closed mid-test in Vert.x 5.
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void everyGroupGetsEveryMessageAndEachOfItsTwoConsumersHalf(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("billing-1", consumerOn("orders", "billing"))
            .consumer("billing-2", consumerOn("orders", "billing"))
            .consumer("audit-1", consumerOn("orders", "audit"))
            .consumer("audit-2", consumerOn("orders", "audit"))
            .producer("producer", producerOn("orders"))
            .send("producer", publish("m1"), publish("m2"), publish("m3"), publish("m4")).expectOks("producer", 4)
            .expectOnlyAndAck("billing-1", "orders", 1, 3)
            .expectOnlyAndAck("billing-2", "orders", 2, 4)
            .expectOnlyAndAck("audit-1", "orders", 1, 3)
            .expectOnlyAndAck("audit-2", "orders", 2, 4)
            .awaitSnapshot("both groups acked all four", s -> TestBroker.topic(s, "orders").retainedMessages() == 0,
                snapshot -> {
                  TopicStats orders = TestBroker.topic(snapshot, "orders");
                  assertEquals(4, orders.published(), "fan-out does not multiply the published count");
                  assertEquals(List.of("billing", "audit"), orders.groups().stream().map(GroupStats::name).toList());
                  for (GroupStats group : orders.groups()) {
                    assertEquals(new GroupStats(group.name(), 0, 0, 2, 4, 4, 0, 0), group);
                  }
                })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void seedClientsOnTheDefaultTopicKeepTheSeedFramesWhileAnotherTopicIsBusy(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("seed consumer")
            .consumer("busy consumer", consumerOn("busy", "workers"))
            // Same default topic, its own group, registered with only "group": extended frames.
            .consumer("tap", "{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"tap\"}")
            .connect("seed producer").send("seed producer", WireClient.REGISTER_PRODUCER)
            .producer("busy producer", producerOn("busy"))
            .send("busy producer", publish("m1"), publish("m2"))
            .send("seed producer", publish("s1"))
            .send("busy producer", publish("m3"))
            .send("seed producer", publish("s2"))
            .expectOks("busy producer", 3)
            .expectOks("seed producer", 2)
            // Ids count per topic: the default topic's start at 1 as well.
            .expectMessage("seed consumer", 1, "s1").expectMessage("seed consumer", 2, "s2")
            .send("seed consumer", ack(1), ack(2), ack(0)).expectError("seed consumer", "unknown_message")
            .expectExtendedMessage("tap", 1, "s1", "default", 1)
            .expectExtendedMessage("tap", 2, "s2", "default", 1)
            .expectNothingMore("tap")
            .expectOnlyAndAck("busy consumer", "busy", 1, 2, 3)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aLateGroupStartingEarliestGetsTheRetainedBacklogAndOneStartingLatestOnlyNewMessages(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("first", consumerOn("log", "first"))
            .producer("producer", producerOn("log"))
            .send("producer", publish("m1"), publish("m2"), publish("m3")).expectOks("producer", 3)
            .expectExtendedMessage("first", 1, "m1", "log", 1)
            .expectExtendedMessage("first", 2, "m2", "log", 1)
            .expectExtendedMessage("first", 3, "m3", "log", 1)
            // Acked by the only group, m1 is freed; m2 and m3 stay retained.
            .send("first", ack(1))
            .awaitSnapshot("m1 freed", s -> TestBroker.topic(s, "log").retainedMessages() == 2)
            .subscribe("late",
                "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"log\",\"group\":\"late\",\"start\":\"earliest\"}")
            .expectExtendedMessage("late", 2, "m2", "log", 1)
            .expectExtendedMessage("late", 3, "m3", "log", 1)
            .consumer("newest",
                "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"log\",\"group\":\"newest\",\"start\":\"latest\"}")
            .send("producer", publish("m4")).expect("producer", OK)
            // Its first frame is m4: nothing of the backlog came before it.
            .expectOnlyAndAck("newest", "log", 4)
            .expectOnlyAndAck("late", "log", 4)
            .expectExtendedMessage("first", 4, "m4", "log", 1)
            .snapshot(snapshot -> {
              assertEquals(3, TestBroker.group(snapshot, "log", "late").delivered(), "m2, m3 and m4");
              assertEquals(1, TestBroker.group(snapshot, "log", "newest").delivered());
              assertEquals(4, TestBroker.group(snapshot, "log", "first").delivered());
            })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aPublishWithATopicGoesThereAndOnlyThatPublish(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("alpha consumer", consumerOn("alpha", "g"))
            .consumer("beta consumer", consumerOn("beta", "g"))
            .producer("alpha producer", producerOn("alpha"))
            .producer("seed producer")
            .send("alpha producer", publish("m1"), publishTo("beta", "m1"), publish("m2"))
            .expectOks("alpha producer", 3)
            // A seed producer may name a topic too.
            .send("seed producer", publishTo("beta", "m2")).expect("seed producer", OK)
            .expectOnlyAndAck("alpha consumer", "alpha", 1, 2)
            .expectOnlyAndAck("beta consumer", "beta", 1, 2)
            .snapshot(snapshot -> {
              assertEquals(2, TestBroker.topic(snapshot, "alpha").published());
              assertEquals(2, TestBroker.topic(snapshot, "beta").published());
              assertNull(TestBroker.topic(snapshot, "default"), "the seed producer's default topic was never used");
            })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void invalidTopicAndGroupNamesAreRefusedAndTheConnectionStaysUnregistered(Vertx vertx,
      VertxTestContext testContext) {
    String longest = "a".repeat(128);
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("consumer")
            .send("consumer", "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"has space\"}")
            .expectError("consumer", "invalid_name")
            .send("consumer", "{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"\"}")
            .expectError("consumer", "invalid_name")
            .send("consumer", consumerOn("t", "a".repeat(129))).expectError("consumer", "invalid_name")
            .send("consumer", consumerOn("caf\u00e9", "g")).expectError("consumer", "invalid_name")
            // Still unregistered, so this register is the first, not a second (already_registered).
            .send("consumer", consumerOn("t", longest)).expectNothingMore("consumer")
            .producer("producer", producerOn("t"))
            .send("producer", publishTo("a/b", "m0")).expectError("producer", "invalid_name")
            .send("producer", publish("m1")).expect("producer", OK)
            .expectOnlyAndAck("consumer", "t", 1)
            .connect("never registered")
            .send("never registered", "{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"no/slash\"}")
            .expectError("never registered", "invalid_name")
            .send("never registered", ack(0)).expectError("never registered", "not_registered")
            .expectClose("never registered")
            .snapshot(snapshot -> {
              assertEquals(List.of("t"), snapshot.topics().stream().map(TopicStats::name).toList(),
                  "no topic was created for a refused name");
              assertEquals(List.of(longest),
                  TestBroker.topic(snapshot, "t").groups().stream().map(GroupStats::name).toList());
            })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void withoutAutoCreateADeclaredTopicWorksAndAnUnknownOneIsRefused(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("auto_create_topics", false, "topics", List.of("orders"));
    TestBroker.deploy(vertx, config)
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("consumer")
            .send("consumer", consumerOn("nope", "g")).expectError("consumer", "unknown_topic")
            // Recoverable, and the connection is still unregistered: it may register again.
            .send("consumer", consumerOn("orders", "g")).expectNothingMore("consumer")
            .producer("producer", producerOn("orders"))
            .send("producer", publishTo("nope", "m0")).expectError("producer", "unknown_topic")
            .send("producer", publish("m1")).expect("producer", OK)
            .expectOnlyAndAck("consumer", "orders", 1)
            // The seed's default topic was not declared either.
            .connect("seed producer")
            .send("seed producer", WireClient.REGISTER_PRODUCER).expectError("seed producer", "unknown_topic")
            .connect("seed consumer")
            .send("seed consumer", REGISTER_CONSUMER).expectError("seed consumer", "unknown_topic")
            .snapshot(snapshot -> {
              assertEquals(List.of("orders"), snapshot.topics().stream().map(TopicStats::name).toList());
              assertEquals(1, TestBroker.topic(snapshot, "orders").published());
            })
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void withoutAutoCreateAProducerRegisteringOnAnUnknownTopicIsRefusedAndMayRegisterAgain(Vertx vertx,
      VertxTestContext testContext) {
    Map<String, Object> config = Map.of("auto_create_topics", false, "topics", List.of("orders"));
    TestBroker.deploy(vertx, config)
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("producer")
            .send("producer", producerOn("nope")).expectError("producer", "unknown_topic")
            // Still unregistered: this register is its first, not a second one.
            .send("producer", producerOn("orders"), publish("m1")).expect("producer", OK)
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }
}
