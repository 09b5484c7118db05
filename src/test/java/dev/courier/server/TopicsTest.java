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
import io.vertx.core.Future;
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
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "billing-1", consumerOn("orders", "billing")).compose(billing1 ->
            broker.registeredConsumer(netClient, "billing-2", consumerOn("orders", "billing")).compose(billing2 ->
                broker.registeredConsumer(netClient, "audit-1", consumerOn("orders", "audit")).compose(audit1 ->
                    broker.registeredConsumer(netClient, "audit-2", consumerOn("orders", "audit")).compose(audit2 ->
                        broker.registeredProducer(netClient, "producer", producerOn("orders"))
                            .compose(producer -> producer.send(publish("m1"), publish("m2"), publish("m3"), publish("m4"))
                                .compose(v -> producer.expectOks(4)))
                            .compose(v -> billing1.expectOnlyAndAck("orders", 1, 3))
                            .compose(v -> billing2.expectOnlyAndAck("orders", 2, 4))
                            .compose(v -> audit1.expectOnlyAndAck("orders", 1, 3))
                            .compose(v -> audit2.expectOnlyAndAck("orders", 2, 4))
                            .compose(v -> broker.awaitSnapshot("both groups acked all four",
                                s -> TestBroker.topic(s, "orders").retainedMessages() == 0))
                            .map(snapshot -> {
                              testContext.verify(() -> {
                                TopicStats orders = TestBroker.topic(snapshot, "orders");
                                assertEquals(4, orders.published(), "fan-out does not multiply the published count");
                                assertEquals(List.of("billing", "audit"), orders.groups().stream().map(GroupStats::name).toList());
                                for (GroupStats group : orders.groups()) {
                                  assertEquals(new GroupStats(group.name(), 0, 0, 2, 4, 4, 0, 0), group);
                                }
                              });
                              return null;
                            }))))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void seedClientsOnTheDefaultTopicKeepTheSeedFramesWhileAnotherTopicIsBusy(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "seed consumer").compose(seedConsumer ->
            broker.registeredConsumer(netClient, "busy consumer", consumerOn("busy", "workers")).compose(busyConsumer ->
                // Same default topic, its own group, registered with only "group": extended frames.
                broker.registeredConsumer(netClient, "tap",
                    "{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"tap\"}").compose(tap ->
                    broker.producer(netClient, "seed producer").compose(seedProducer ->
                        broker.registeredProducer(netClient, "busy producer", producerOn("busy")).compose(busyProducer ->
                            busyProducer.send(publish("m1"), publish("m2"))
                                .compose(v -> seedProducer.send(publish("s1")))
                                .compose(v -> busyProducer.send(publish("m3")))
                                .compose(v -> seedProducer.send(publish("s2")))
                                .compose(v -> busyProducer.expectOks(3))
                                .compose(v -> seedProducer.expectOks(2))
                                // Ids count per topic: the default topic's start at 1 as well.
                                .compose(v -> seedConsumer.expectMessage(1, "s1"))
                                .compose(v -> seedConsumer.expectMessage(2, "s2"))
                                .compose(v -> seedConsumer.send(ack(1), ack(2), ack(0)))
                                .compose(v -> seedConsumer.expectError("unknown_message"))
                                .compose(v -> tap.expectExtendedMessage(1, "s1", "default", 1))
                                .compose(v -> tap.expectExtendedMessage(2, "s2", "default", 1))
                                .compose(v -> tap.expectNothingMore())
                                .compose(v -> busyConsumer.expectOnlyAndAck("busy", 1, 2, 3))))))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aLateGroupStartingEarliestGetsTheRetainedBacklogAndOneStartingLatestOnlyNewMessages(Vertx vertx,
      VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "first", consumerOn("log", "first")).compose(first ->
            broker.registeredProducer(netClient, "producer", producerOn("log")).compose(producer ->
                producer.send(publish("m1"), publish("m2"), publish("m3"))
                    .compose(v -> producer.expectOks(3))
                    .compose(v -> first.expectExtendedMessage(1, "m1", "log", 1))
                    .compose(v -> first.expectExtendedMessage(2, "m2", "log", 1))
                    .compose(v -> first.expectExtendedMessage(3, "m3", "log", 1))
                    // Acked by the only group, m1 is freed; m2 and m3 stay retained.
                    .compose(v -> first.send(ack(1)))
                    .compose(v -> broker.awaitSnapshot("m1 freed", s -> TestBroker.topic(s, "log").retainedMessages() == 2))
                    .compose(v -> broker.consumer(netClient, "late",
                        "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"log\",\"group\":\"late\",\"start\":\"earliest\"}"))
                    .compose(late -> late.expectExtendedMessage(2, "m2", "log", 1)
                        .compose(v -> late.expectExtendedMessage(3, "m3", "log", 1))
                        .compose(v -> broker.registeredConsumer(netClient, "newest",
                            "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"log\",\"group\":\"newest\",\"start\":\"latest\"}"))
                        .compose(newest -> producer.send(publish("m4"))
                            .compose(v -> producer.expectOk())
                            // Its first frame is m4: nothing of the backlog came before it.
                            .compose(v -> newest.expectOnlyAndAck("log", 4))
                            .compose(v -> late.expectOnlyAndAck("log", 4))
                            .compose(v -> first.expectExtendedMessage(4, "m4", "log", 1))))
                    .compose(v -> broker.snapshot())
                    .map(snapshot -> {
                      testContext.verify(() -> {
                        assertEquals(3, TestBroker.group(snapshot, "log", "late").delivered(), "m2, m3 and m4");
                        assertEquals(1, TestBroker.group(snapshot, "log", "newest").delivered());
                        assertEquals(4, TestBroker.group(snapshot, "log", "first").delivered());
                      });
                      return null;
                    }))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aPublishWithATopicGoesThereAndOnlyThatPublish(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of()).compose(broker ->
        broker.registeredConsumer(netClient, "alpha consumer", consumerOn("alpha", "g")).compose(alpha ->
            broker.registeredConsumer(netClient, "beta consumer", consumerOn("beta", "g")).compose(beta ->
                broker.registeredProducer(netClient, "alpha producer", producerOn("alpha")).compose(producer ->
                    broker.registeredProducer(netClient, "seed producer").compose(seedProducer ->
                        producer.send(publish("m1"), publishTo("beta", "m1"), publish("m2"))
                            .compose(v -> producer.expectOks(3))
                            // A seed producer may name a topic too.
                            .compose(v -> seedProducer.send(publishTo("beta", "m2")))
                            .compose(v -> seedProducer.expectOk())
                            .compose(v -> alpha.expectOnlyAndAck("alpha", 1, 2))
                            .compose(v -> beta.expectOnlyAndAck("beta", 1, 2))
                            .compose(v -> broker.snapshot())
                            .map(snapshot -> {
                              testContext.verify(() -> {
                                assertEquals(2, TestBroker.topic(snapshot, "alpha").published());
                                assertEquals(2, TestBroker.topic(snapshot, "beta").published());
                                assertNull(TestBroker.topic(snapshot, "default"), "the seed producer's default topic was never used");
                              });
                              return null;
                            }))))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void invalidTopicAndGroupNamesAreRefusedAndTheConnectionStaysUnregistered(Vertx vertx,
      VertxTestContext testContext) {
    String longest = "a".repeat(128);
    TestBroker.deploy(vertx, Map.of()).compose(broker -> broker.connect(netClient, "consumer")
        .compose(consumer -> consumer.send("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"has space\"}")
            .compose(v -> consumer.expectError("invalid_name"))
            .compose(v -> consumer.send("{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"\"}"))
            .compose(v -> consumer.expectError("invalid_name"))
            .compose(v -> consumer.send(consumerOn("t", "a".repeat(129))))
            .compose(v -> consumer.expectError("invalid_name"))
            .compose(v -> consumer.send(consumerOn("caf\u00e9", "g")))
            .compose(v -> consumer.expectError("invalid_name"))
            // Still unregistered, so this register is the first, not a second (already_registered).
            .compose(v -> consumer.send(consumerOn("t", longest)))
            .compose(v -> consumer.expectNothingMore())
            .compose(v -> broker.registeredProducer(netClient, "producer", producerOn("t")))
            .compose(producer -> producer.send(publishTo("a/b", "m0"))
                .compose(v -> producer.expectError("invalid_name"))
                .compose(v -> producer.send(publish("m1")))
                .compose(v -> producer.expectOk()))
            .compose(v -> consumer.expectOnlyAndAck("t", 1)))
        .compose(v -> broker.connect(netClient, "never registered"))
        .compose(client -> client.send("{\"type\":\"register\",\"role\":\"consumer\",\"group\":\"no/slash\"}")
            .compose(v -> client.expectError("invalid_name"))
            .compose(v -> client.send(ack(0)))
            .compose(v -> client.expectError("not_registered"))
            .compose(v -> client.expectClose()))
        .compose(v -> broker.snapshot())
        .map(snapshot -> {
          testContext.verify(() -> {
            assertEquals(List.of("t"), snapshot.topics().stream().map(TopicStats::name).toList(),
                "no topic was created for a refused name");
            assertEquals(List.of(longest), TestBroker.topic(snapshot, "t").groups().stream().map(GroupStats::name).toList());
          });
          return null;
        }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void withoutAutoCreateADeclaredTopicWorksAndAnUnknownOneIsRefused(Vertx vertx, VertxTestContext testContext) {
    Map<String, Object> config = Map.of("auto_create_topics", false, "topics", List.of("orders"));
    TestBroker.deploy(vertx, config).compose(broker -> broker.connect(netClient, "consumer")
        .compose(consumer -> consumer.send(consumerOn("nope", "g"))
            .compose(v -> consumer.expectError("unknown_topic"))
            // Recoverable, and the connection is still unregistered: it may register again.
            .compose(v -> consumer.send(consumerOn("orders", "g")))
            .compose(v -> consumer.expectNothingMore())
            .compose(v -> broker.registeredProducer(netClient, "producer", producerOn("orders")))
            .compose(producer -> producer.send(publishTo("nope", "m0"))
                .compose(v -> producer.expectError("unknown_topic"))
                .compose(v -> producer.send(publish("m1")))
                .compose(v -> producer.expectOk()))
            .compose(v -> consumer.expectOnlyAndAck("orders", 1)))
        // The seed's default topic was not declared either.
        .compose(v -> broker.connect(netClient, "seed producer"))
        .compose(seedProducer -> seedProducer.send(WireClient.REGISTER_PRODUCER)
            .compose(v -> seedProducer.expectError("unknown_topic")))
        .compose(v -> broker.connect(netClient, "seed consumer"))
        .compose(seedConsumer -> seedConsumer.send(REGISTER_CONSUMER)
            .compose(v -> seedConsumer.expectError("unknown_topic")))
        .compose(v -> broker.snapshot())
        .map(snapshot -> {
          testContext.verify(() -> {
            assertEquals(List.of("orders"), snapshot.topics().stream().map(TopicStats::name).toList());
            assertEquals(1, TestBroker.topic(snapshot, "orders").published());
          });
          return null;
        }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void withoutAutoCreateAProducerRegisteringOnAnUnknownTopicIsRefusedAndMayRegisterAgain(Vertx vertx,
      VertxTestContext testContext) {
    Map<String, Object> config = Map.of("auto_create_topics", false, "topics", List.of("orders"));
    TestBroker.deploy(vertx, config).compose(broker ->
        broker.connect(netClient, "producer").compose(producer -> producer.send(producerOn("nope"))
            .compose(v -> producer.expectError("unknown_topic"))
            // Still unregistered: this register is its first, not a second one.
            .compose(v -> producer.send(producerOn("orders"), publish("m1")))
            .compose(v -> producer.expect(OK))))
        .onComplete(testContext.succeedingThenComplete());
  }
}
