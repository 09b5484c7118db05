package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.REGISTER_CONSUMER;
import static dev.courier.server.WireClient.REGISTER_PRODUCER;
import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.frame;
import static dev.courier.server.WireClient.publish;
import static dev.courier.server.WireClient.publishTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Misbehaving peers writing raw bytes. Each test checks the error code, whether the broker closes
 * the connection (fatal codes) or keeps it (recoverable ones), and that a producer/consumer pair
 * connected beforehand still works afterwards.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class BadClientTest {
  /** Small enough to test the boundary cheaply; large enough for every frame of these tests. */
  private static final int MAX_FRAME_BYTES = 1024;

  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  /** The well-behaved peers, connected and registered before the bad one shows up. */
  private record Pair(WireClient producer, WireClient consumer) {}

  // ---- framing ----

  @Test
  void zeroLengthIsEmptyFrameAndCloses(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), Buffer.buffer().appendInt(0), "empty_frame");
  }

  @Test
  void lengthAboveMaxFrameBytesIsFrameTooLargeAndCloses(Vertx vertx, VertxTestContext testContext) {
    Buffer bytes = Buffer.buffer().appendInt(MAX_FRAME_BYTES + 1).appendString("{\"type\":\"publish\"");
    fatal(vertx, testContext, Map.of(), bytes, "frame_too_large");
  }

  @Test
  void hostileLengthIsFrameTooLargeAndCloses(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), Buffer.buffer().appendInt(0x7ffffff0), "frame_too_large");
  }

  @Test
  void lengthWithTheTopBitSetIsReadUnsignedAndIsFrameTooLarge(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), Buffer.buffer().appendInt(0xffffffff), "frame_too_large");
  }

  @Test
  void frameOfExactlyMaxFrameBytesIsAccepted(Vertx vertx, VertxTestContext testContext) {
    String payload = "x".repeat(MAX_FRAME_BYTES - publish("").length());
    testContext.verify(() -> assertEquals(MAX_FRAME_BYTES, frame(publish(payload)).length() - 4));
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.producer(netClient, "big producer")
            .compose(big -> big.send(publish(payload)).compose(v -> big.expect(OK)))
            .compose(v -> env.pair.consumer.expectMessage(1, payload))
            .compose(v -> env.pair.consumer.send(ack(1)))
            .compose(v -> pairStillWorks(env, 2)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void bodyThatIsNotJsonIsBadJsonAndCloses(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), frame("this is not json"), "bad_json");
  }

  @Test
  void jsonThatIsNotAnObjectIsBadJsonAndCloses(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), frame("[\"register\",\"producer\"]"), "bad_json");
  }

  @Test
  void socketClosedMidFrameLeavesTheBrokerUnaffected(Vertx vertx, VertxTestContext testContext) {
    Buffer halfABody = Buffer.buffer().appendInt(100).appendString("{\"type\":\"publish\",\"pay");
    Buffer halfAPrefix = Buffer.buffer().appendByte((byte) 0).appendByte((byte) 0);
    deployWithPair(vertx, Map.of()).compose(env ->
            env.broker.registeredProducer(netClient, "cut mid-body")
                .compose(cut -> cut.sendRaw(halfABody).compose(v -> cut.close()))
                .compose(v -> env.broker.registeredProducer(netClient, "cut mid-prefix"))
                .compose(cut -> cut.sendRaw(halfAPrefix).compose(v -> cut.close()))
                // Id 1: neither partial frame was taken for a publish.
                .compose(v -> pairStillWorks(env, 1))
                .compose(v -> env.broker.stats())
                .map(stats -> {
                  testContext.verify(() -> assertEquals(1, stats.published()));
                  return null;
                }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void consumerClosedForBadInputGivesItsMessageBackAtOnce(Vertx vertx, VertxTestContext testContext) {
    // Ack timeout far beyond the expectation deadline: only the close can free message 2 in time.
    deployWithPair(vertx, Map.of("ack_timeout_ms", 60_000)).compose(env ->
            env.broker.registeredConsumer(netClient, "garbling consumer")
                .compose(garbling -> env.pair.producer.send(publish("m1"), publish("m2"))
                    .compose(v -> env.pair.producer.expect(OK))
                    .compose(v -> env.pair.producer.expect(OK))
                    .compose(v -> env.pair.consumer.expectMessage(1, "m1"))
                    .compose(v -> garbling.expectMessage(2, "m2"))
                    .compose(v -> garbling.sendRaw(frame("{\"type\":\"ack\",")))
                    .compose(v -> garbling.expectError("bad_json"))
                    .compose(v -> garbling.expectClose()))
                .compose(v -> env.pair.consumer.expectMessage(2, "m2"))
                .compose(v -> env.pair.consumer.send(ack(1), ack(2)))
                .compose(v -> pairStillWorks(env, 3)))
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- strict text ----

  /** Bodies that are not one UTF-8 JSON object, though a lenient parser would take each. */
  private static List<Buffer> lenientlyParsedBodies() {
    Buffer overlongSlash = Buffer.buffer().appendString("{\"type\":\"publish\",\"payload\":\"a")
        .appendByte((byte) 0xC0).appendByte((byte) 0xAF).appendString("\"}");
    Buffer overlongThreeBytes = Buffer.buffer().appendString("{\"type\":\"publish\",\"payload\":\"a")
        .appendBytes(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}).appendString("\"}");
    Buffer encodedSurrogate = Buffer.buffer().appendString("{\"type\":\"publish\",\"payload\":\"a")
        .appendBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}).appendString("\"}");
    Buffer truncated = Buffer.buffer().appendString("{\"type\":\"publish\",\"payload\":\"a")
        .appendBytes(new byte[] {(byte) 0xE2, (byte) 0x82}).appendString("\"}");
    Buffer withBom = Buffer.buffer().appendBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})
        .appendString(publish("bom"));
    Buffer utf16 = Buffer.buffer(publish("utf16").getBytes(StandardCharsets.UTF_16));
    Buffer utf32 = Buffer.buffer(publish("utf32").getBytes(Charset.forName("UTF-32LE")));
    Buffer duplicateType = Buffer.buffer("{\"type\":\"ack\",\"type\":\"publish\",\"payload\":\"dup\"}");
    Buffer duplicatePayload = Buffer.buffer("{\"type\":\"publish\",\"payload\":\"a\",\"payload\":\"b\"}");
    Buffer loneSurrogate = Buffer.buffer("{\"type\":\"publish\",\"payload\":\"\\ud800\"}");
    return List.of(overlongSlash, overlongThreeBytes, encodedSurrogate, truncated, withBom, utf16, utf32,
        duplicateType, duplicatePayload, loneSurrogate);
  }

  @Test
  void eachLenientlyParsedBodyIsBadJsonAndClosesAndNothingIsPublished(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> {
      Future<Void> chain = Future.succeededFuture();
      int n = 0;
      for (Buffer body : lenientlyParsedBodies()) {
        String name = "lenient body " + n++;
        Buffer bytes = Buffer.buffer().appendInt(body.length()).appendBuffer(body);
        chain = chain.compose(v -> env.broker.registeredProducer(netClient, name))
            .compose(bad -> bad.sendRaw(bytes)
                .compose(v -> bad.expectError("bad_json"))
                .compose(v -> bad.expectClose()));
      }
      return chain.compose(v -> pairStillWorks(env, 1))
          .compose(v -> env.broker.stats())
          .map(stats -> {
            testContext.verify(() -> assertEquals(1, stats.published(), "only the pair's message was taken"));
            return null;
          });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void badUtf8BeforeRegisterIsBadJsonAndCloses(Vertx vertx, VertxTestContext testContext) {
    Buffer body = Buffer.buffer().appendString("{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"k")
        .appendByte((byte) 0xC0).appendByte((byte) 0xAE).appendString("\"}");
    fatal(vertx, testContext, Map.of(), Buffer.buffer().appendInt(body.length()).appendBuffer(body), "bad_json");
  }

  // ---- names ----

  @Test
  void topicsAndGroupsThatArePathTricksAreInvalidNameAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.registeredProducer(netClient, "path tricks")
            .compose(tricks -> tricks.send(publishTo(".", "dot"), publishTo("..", "dotdot"), publishTo(".hidden", "h"))
                .compose(v -> expectInvalidName(tricks))
                .compose(v -> expectInvalidName(tricks))
                .compose(v -> expectInvalidName(tricks))
                // Dots inside a name, or a leading dash or underscore, stay valid.
                .compose(v -> tricks.send(publishTo("a.b", "m"), publishTo("-x", "m"), publishTo("_x", "m")))
                .compose(v -> tricks.expectOks(3)))
            .compose(v -> env.broker.connect(netClient, "tricky register"))
            .compose(tricky -> tricky.send(WireClient.producerOn(".."), WireClient.consumerOn("t", "."),
                    WireClient.consumerOn(".hidden", "g"))
                .compose(v -> expectInvalidName(tricky))
                .compose(v -> expectInvalidName(tricky))
                .compose(v -> expectInvalidName(tricky))
                // Each refusal left it unregistered, so it may still register.
                .compose(v -> tricky.send(WireClient.producerOn("a.b"), publish("registered at last")))
                .compose(v -> tricky.expectOk()))
            .compose(v -> env.broker.snapshot())
            .map(snapshot -> {
              testContext.verify(() -> assertEquals(List.of("-x", "_x", "a.b", "default"),
                  snapshot.topics().stream().map(TopicStats::name).sorted().toList()));
              return null;
            })
            .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- frame types and roles ----

  @Test
  void framesOnlyTheBrokerSendsAreUnknownTypeWhateverTheirFields(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.registeredProducer(netClient, "mimic")
            .compose(mimic -> mimic.send("{\"type\":\"message\"}", "{\"type\":\"error\"}",
                    "{\"type\":\"stats_reply\",\"broker\":[]}", "{\"type\":\"history_reply\",\"messages\":[1]}")
                .compose(v -> mimic.expectError("unknown_type"))
                .compose(v -> mimic.expectError("unknown_type"))
                .compose(v -> mimic.expectError("unknown_type"))
                .compose(v -> mimic.expectError("unknown_type"))
                .compose(v -> mimic.send(publish("genuine")))
                .compose(v -> mimic.expect(OK)))
            .compose(v -> env.pair.consumer.expectMessage(1, "genuine"))
            .compose(v -> env.pair.consumer.send(ack(1)))
            .compose(v -> pairStillWorks(env, 2)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void unknownTypeIsRecoverableAndTheNextFrameWorks(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.connect(netClient, "odd client")
            .compose(odd -> odd.send("{\"type\":\"subscribe\",\"topic\":\"t\"}")
                .compose(v -> odd.expectError("unknown_type"))
                .compose(v -> odd.send(REGISTER_PRODUCER, publish("after unknown")))
                .compose(v -> odd.expect(OK)))
            .compose(v -> env.pair.consumer.expectMessage(1, "after unknown"))
            .compose(v -> env.pair.consumer.send(ack(1)))
            .compose(v -> pairStillWorks(env, 2)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void framesOnlyTheBrokerSendsAreUnknownTypeFromAClientAndTheConnectionStays(Vertx vertx,
      VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.producer(netClient, "mimic")
            .compose(mimic -> mimic.send(OK, WireClient.message(7, "forged"))
                .compose(v -> mimic.expectError("unknown_type"))
                .compose(v -> mimic.expectError("unknown_type"))
                .compose(v -> mimic.send(publish("genuine")))
                .compose(v -> mimic.expect(OK)))
            .compose(v -> env.pair.consumer.expectMessage(1, "genuine"))
            .compose(v -> env.pair.consumer.send(ack(1)))
            .compose(v -> pairStillWorks(env, 2)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void publishWithAMistypedPayloadIsBadRequestAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.producer(netClient, "sloppy producer")
            .compose(sloppy -> sloppy.send("{\"type\":\"publish\",\"payload\":5}")
                .compose(v -> sloppy.expectError("bad_request"))
                .compose(v -> sloppy.send(publish("fixed")))
                .compose(v -> sloppy.expect(OK)))
            .compose(v -> env.pair.consumer.expectMessage(1, "fixed"))
            .compose(v -> env.pair.consumer.send(ack(1)))
            .compose(v -> pairStillWorks(env, 2)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void unknownRoleIsBadRoleAndCloses(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), frame("{\"type\":\"register\",\"role\":\"admin\"}"), "bad_role");
  }

  @Test
  void rolesAreCaseSensitive(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), frame("{\"type\":\"register\",\"role\":\"Producer\"}"), "bad_role");
  }

  @Test
  void secondRegisterIsAlreadyRegisteredAndCloses(Vertx vertx, VertxTestContext testContext) {
    Buffer twice = frame(REGISTER_PRODUCER).appendBuffer(frame(REGISTER_CONSUMER));
    fatal(vertx, testContext, Map.of(), twice, "already_registered");
  }

  @Test
  void publishBeforeRegisterIsNotRegisteredAndCloses(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), frame(publish("too soon")), "not_registered");
  }

  @Test
  void ackBeforeRegisterIsNotRegisteredAndCloses(Vertx vertx, VertxTestContext testContext) {
    fatal(vertx, testContext, Map.of(), frame(ack(1)), "not_registered");
  }

  @Test
  void publishFromAConsumerIsWrongRoleAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.registeredConsumer(netClient, "confused consumer")
            .compose(confused -> confused.send(publish("not mine to send"))
                .compose(v -> confused.expectError("wrong_role"))
                // Still open and still a consumer:
                .compose(v -> confused.send(ack(0)))
                .compose(v -> confused.expectError("unknown_message"))
                .compose(v -> leave(env, confused)))
            .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void ackFromAProducerIsWrongRoleAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.producer(netClient, "confused producer")
            .compose(confused -> confused.send(ack(1))
                .compose(v -> confused.expectError("wrong_role"))
                .compose(v -> confused.send(publish("still a producer")))
                .compose(v -> confused.expect(OK)))
            .compose(v -> env.pair.consumer.expectMessage(1, "still a producer"))
            .compose(v -> env.pair.consumer.send(ack(1)))
            .compose(v -> pairStillWorks(env, 2)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void ackOfAnUnknownIdIsUnknownMessageAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.registeredConsumer(netClient, "guessing consumer")
            .compose(guessing -> guessing.send(ack(42))
                .compose(v -> guessing.expectError("unknown_message"))
                // The largest u64: a valid id on the wire that no message can have.
                .compose(v -> guessing.send("{\"type\":\"ack\",\"id\":18446744073709551615}"))
                .compose(v -> guessing.expectError("unknown_message"))
                .compose(v -> leave(env, guessing)))
            .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void ackOfAnIdAtOrAbove2To63IsEchoedExactlyAndOutOfRangeIdsAreBadRequest(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.registeredConsumer(netClient, "big ids")
            .compose(big -> big.send("{\"type\":\"ack\",\"id\":9223372036854775808}",
                    "{\"type\":\"ack\",\"id\":18446744073709551614}")
                .compose(v -> big.expectError("unknown_message"))
                .map(error -> assertEchoes(testContext, error, "message 9223372036854775808 is not in flight"))
                .compose(v -> big.expectError("unknown_message"))
                .map(error -> assertEchoes(testContext, error, "message 18446744073709551614 is not in flight"))
                .compose(v -> big.send("{\"type\":\"ack\",\"id\":18446744073709551616}", "{\"type\":\"ack\",\"id\":-1}"))
                .compose(v -> big.expectError("bad_request"))
                .compose(v -> big.expectError("bad_request"))
                .compose(v -> big.send(ack(0)))
                .compose(v -> big.expectError("unknown_message"))
                .compose(v -> leave(env, big)))
            .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void ackOfAnotherConsumersMessageIsNotOwnerAndTheConnectionStays(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of()).compose(env -> env.broker.registeredConsumer(netClient, "thief")
            .compose(thief -> env.pair.producer.send(publish("owned"))
                .compose(v -> env.pair.producer.expect(OK))
                // The pair's consumer registered first, so the ring hands it message 1.
                .compose(v -> env.pair.consumer.expectMessage(1, "owned"))
                .compose(v -> thief.send(ack(1)))
                .compose(v -> thief.expectError("not_owner"))
                .compose(v -> thief.send(ack(0)))
                .compose(v -> thief.expectError("unknown_message"))
                // The foreign ack changed nothing: the owner's ack still works, once.
                .compose(v -> env.pair.consumer.send(ack(1), ack(1)))
                .compose(v -> env.pair.consumer.expectError("unknown_message"))
                .compose(v -> leave(env, thief)))
            .compose(v -> pairStillWorks(env, 2)))
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- limits ----

  @Test
  void connectionThatNeverRegistersIsClosedAfterRegisterTimeout(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of("register_timeout_ms", 300)).compose(env ->
            env.broker.connect(netClient, "silent")
                .compose(silent -> silent.expectError("register_timeout").compose(v -> silent.expectClose()))
                // Half a register frame is not a register either.
                .compose(v -> env.broker.connect(netClient, "slow"))
                .compose(slow -> slow.sendRaw(frame(REGISTER_PRODUCER).slice(0, 10))
                    .compose(v -> slow.expectError("register_timeout"))
                    .compose(v -> slow.expectClose()))
                .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void connectionBeyondMaxConnectionsIsRefusedWithTooManyConnections(Vertx vertx, VertxTestContext testContext) {
    deployWithPair(vertx, Map.of("max_connections", 3)).compose(env ->
            env.broker.registeredProducer(netClient, "third")
                .compose(third -> env.broker.connect(netClient, "fourth"))
                .compose(fourth -> fourth.expectError("too_many_connections").compose(v -> fourth.expectClose()))
                .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- helpers ----

  private record Env(TestBroker broker, Pair pair) {}

  private Future<Env> deployWithPair(Vertx vertx, Map<String, ?> overrides) {
    Map<String, Object> config = new HashMap<>(overrides);
    config.putIfAbsent("max_frame_bytes", MAX_FRAME_BYTES);
    return TestBroker.deploy(vertx, config).compose(broker ->
        broker.registeredConsumer(netClient, "pair consumer").compose(consumer ->
            broker.registeredProducer(netClient, "pair producer")
                .map(producer -> new Env(broker, new Pair(producer, consumer)))));
  }

  /**
   * The bad peer writes {@code bytes} on a fresh connection; the broker must answer with an error
   * of {@code code}, close it, and go on serving the pair.
   */
  private void fatal(Vertx vertx, VertxTestContext testContext, Map<String, ?> overrides, Buffer bytes, String code) {
    deployWithPair(vertx, overrides).compose(env -> env.broker.connect(netClient, "bad client")
            .compose(bad -> bad.sendRaw(bytes)
                .compose(v -> bad.expectError(code))
                .compose(v -> bad.expectClose()))
            .compose(v -> pairStillWorks(env, 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  /** A publish from the pair's producer reaches the pair's consumer as message {@code id}. */
  private static Future<Void> pairStillWorks(Env env, long id) {
    String payload = "still working " + id;
    WireClient producer = env.pair.producer;
    WireClient consumer = env.pair.consumer;
    return producer.send(publish(payload))
        .compose(v -> producer.expect(OK))
        .compose(v -> consumer.expectMessage(id, payload))
        .compose(v -> consumer.send(ack(id), ack(id)))
        // The second ack is refused, so the first was taken.
        .compose(v -> consumer.expectError("unknown_message"))
        .mapEmpty();
  }

  private static Future<Void> expectInvalidName(WireClient client) {
    return client.expectError("invalid_name").compose(error -> error.getString("message").contains("not starting with a dot")
        ? Future.succeededFuture()
        : Future.failedFuture(new AssertionError("invalid_name does not state the rule: " + error.encode())));
  }

  private static Void assertEchoes(VertxTestContext testContext, JsonObject error, String text) {
    testContext.verify(() -> assertTrue(error.getString("message").startsWith(text), error.encode()));
    return null;
  }

  /** A consumer other than the pair's leaves; waits until the broker no longer counts it. */
  private static Future<Void> leave(Env env, WireClient consumer) {
    return consumer.close().compose(v -> env.broker.awaitStats("only the pair's consumer left",
        s -> s.consumers() == 1)).mapEmpty();
  }
}
