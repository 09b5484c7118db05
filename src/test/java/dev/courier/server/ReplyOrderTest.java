package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.REGISTER_PRODUCER;
import static dev.courier.server.WireClient.STATS;
import static dev.courier.server.WireClient.publish;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
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
        .compose(broker -> Scenario.on(broker, netClient)
            .consumer("consumer")
            .connect("producer")
            .send("producer", REGISTER_PRODUCER, publish("m1"), publish("m2"), publish("m3"), badPublish, publish("m4"))
            .expectOks("producer", 3).expectError("producer", code).expect("producer", OK)
            .expectMessage("consumer", 1, "m1").expectMessage("consumer", 2, "m2")
            .expectMessage("consumer", 3, "m3").expectMessage("consumer", 4, "m4")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aStatsReplyOnAProducerWaitsBehindTheOksBeforeIt(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, settings("durable"))
        .compose(broker -> Scenario.on(broker, netClient)
            .connect("producer")
            .send("producer", REGISTER_PRODUCER, publish("m1"), publish("m2"), STATS, publish("m3"),
                "{\"type\":\"ack\",\"id\":1}")
            .expectOks("producer", 2)
            .then("producer receives a stats_reply", s -> s.peer("producer").expectStatsReply())
            .expect("producer", OK).expectError("producer", "wrong_role")
            .run())
        .onComplete(testContext.succeedingThenComplete());
  }

  /** Memory, or durable storage in this test's data_dir (the settings {@link DurableBroker} starts with). */
  private Map<String, Object> settings(String storage) {
    return TestBroker.storageSettings(storage, dataDir);
  }
}
