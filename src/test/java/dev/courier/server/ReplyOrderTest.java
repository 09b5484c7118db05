package dev.courier.server;

import static dev.courier.server.WireClient.REGISTER_PRODUCER;
import static dev.courier.server.WireClient.STATS;
import static dev.courier.server.WireClient.publish;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replies leave in the order of the frames that caused them, in both storage modes: a publish
 * refused while it is decoded waits behind the {@code ok}s still on their way to disk.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ReplyOrderTest {
  private NetClient netClient;

  @TempDir
  Path dataDir;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  /** Every refusal the decoder finds in a publish, with the code it gets, in each storage mode. */
  static Stream<Arguments> refusals() {
    Map<String, String> bad = Map.of(
        "{\"type\":\"publish\",\"payload\":\"x\",\"topic\":\"no spaces\"}", "invalid_name",
        "{\"type\":\"publish\",\"payload\":\"!!\",\"encoding\":\"base64\"}", "bad_request",
        "{\"type\":\"publish\",\"payload\":5}", "bad_request",
        "{\"type\":\"publish\"}", "bad_request",
        "{\"type\":\"publish\",\"payload\":\"x\",\"headers\":[\"a\"]}", "bad_request");
    return Stream.of("durable", "memory").flatMap(storage ->
        bad.entrySet().stream().map(e -> Arguments.of(storage, e.getKey(), e.getValue())));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("refusals")
  void aPublishRefusedWhileDecodingIsAnsweredInItsPlace(String storage, String badPublish, String code,
      Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings(storage))
        .compose(broker -> broker.registeredConsumer(netClient, "consumer").compose(consumer ->
            broker.connect(netClient, "producer").compose(producer ->
                producer.send(REGISTER_PRODUCER, publish("m1"), publish("m2"), publish("m3"), badPublish, publish("m4"))
                    .compose(v -> producer.expectOks(3))
                    .compose(v -> producer.expectError(code))
                    .compose(v -> producer.expectOk())
                    .compose(v -> consumer.expectMessage(1, "m1"))
                    .compose(v -> consumer.expectMessage(2, "m2"))
                    .compose(v -> consumer.expectMessage(3, "m3"))
                    .compose(v -> consumer.expectMessage(4, "m4")))))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aStatsReplyOnAProducerWaitsBehindTheOksBeforeIt(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings("durable"))
        .compose(broker -> broker.connect(netClient, "producer"))
        .compose(producer -> producer.send(REGISTER_PRODUCER, publish("m1"), publish("m2"), STATS, publish("m3"),
                "{\"type\":\"ack\",\"id\":1}")
            .compose(v -> producer.expectOks(2))
            .compose(v -> producer.expectStatsReply())
            .compose(reply -> producer.expectOk())
            .compose(v -> producer.expectError("wrong_role")))
        .onComplete(testContext.succeedingThenComplete());
  }

  private Map<String, Object> settings(String storage) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("storage", storage);
    settings.put("data_dir", dataDir.toString());
    return settings;
  }
}
