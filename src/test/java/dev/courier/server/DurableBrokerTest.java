package dev.courier.server;

import static dev.courier.server.WireClient.ack;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.courier.core.GroupStats;
import dev.courier.core.TopicStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;
import org.slf4j.LoggerFactory;

/**
 * Durable storage across restarts of the in-process broker ({@link DurableBroker}: a graceful stop,
 * then a new broker on the same {@code data_dir}); damaged segment files; the disk limit; retention.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DurableBrokerTest {
  private static final long POLL_DEADLINE_MS = 10_000;
  private static final long POLL_MS = 10;

  @TempDir
  Path dataDir;

  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  /** This test's durable broker on {@code dataDir}, with these settings on every start. */
  private DurableBroker durable(Vertx vertx, Object... keyValues) {
    return new DurableBroker(vertx, dataDir, keyValues);
  }

  // ---- (a) unacked messages, and only those, survive a restart ----

  @Test
  void unackedMessagesAndOnlyThoseSurviveARestartWithTheirIdsInOrder(Vertx vertx, VertxTestContext testContext) {
    int n = 20;
    int m = 8;
    Scenario.start(durable(vertx), netClient)
        .then("publish m1..m" + n, s -> publishConfirmed(s.broker(), 1, n))
        .subscribe("first", WireClient.REGISTER_CONSUMER)
        .then("first gets m1..m" + n, s -> expectMessages(s.peer("first"), 1, n))
        .then("first acks m1..m" + m, s -> ackRange(s.peer("first"), 1, m))
        .awaitStats(m + " acked", s -> s.acked() == m)
        // The unacked rest go back to the group when it leaves.
        .close("first")
        .awaitStats("nothing in flight", s -> s.inFlight() == 0 && s.consumers() == 0)
        .restart()
        .snapshot(snapshot -> {
          TopicStats topic = TestBroker.topic(snapshot, "default");
          assertNotNull(topic, "topic default not recovered: " + snapshot);
          assertEquals(n - m, topic.retainedMessages(), "retained after restart: " + snapshot);
          GroupStats group = TestBroker.group(snapshot, "default", "default");
          assertNotNull(group, "group default not recovered: " + snapshot);
          assertEquals(n - m, group.ready(), "ready after restart: " + snapshot);
        })
        .subscribe("second", WireClient.REGISTER_CONSUMER)
        .then("second gets m" + (m + 1) + "..m" + n, s -> expectMessages(s.peer("second"), m + 1, n))
        .then("second acks them", s -> ackRange(s.peer("second"), m + 1, n))
        // Barrier: anything else (an acked message coming back) would arrive before this reply.
        .expectNothingMore("second")
        .awaitStats("all acked, nothing left", s -> s.acked() == n - m && s.ready() == 0 && s.inFlight() == 0)
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- (b) attempts survive a restart ----

  @Test
  void attemptCountsSurviveARestart(Vertx vertx, VertxTestContext testContext) {
    String extended = WireClient.consumerOn("default", "default");
    Scenario.start(durable(vertx), netClient, "ack_timeout_ms", 200)
        .then("publish m1", s -> publishConfirmed(s.broker(), 1, 1))
        .subscribe("slow", extended)
        .expectExtendedMessage("slow", 1, "m1", "default", 1)
        // Never acked: it times out twice and comes back each time.
        .expectExtendedMessage("slow", 1, "m1", "default", 2)
        .expectExtendedMessage("slow", 1, "m1", "default", 3)
        .close("slow")
        .awaitStats("the third delivery taken back", s -> s.inFlight() == 0 && s.consumers() == 0 && s.ready() == 1)
        .restart()
        .subscribe("after", extended)
        .expectFrame("after", frame -> {
          assertEquals("message", frame.getString("type"), frame.encode());
          assertEquals(1L, frame.getLong("id"), frame.encode());
          // Delivered three times before the restart: the count goes on from there.
          assertTrue(frame.getInteger("attempt") >= 3, "attempt restarted: " + frame.encode());
          assertEquals(4, frame.getInteger("attempt"), "three deliveries before, so this is the fourth");
        })
        .send("after", ack(1))
        .expectNothingMore("after")
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- (c) groups and their positions survive a restart ----

  @Test
  void groupsAndTheirPositionsSurviveARestart(Vertx vertx, VertxTestContext testContext) {
    String latest = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"fan\",\"group\":\"late\",\"start\":\"latest\"}";
    Scenario.start(durable(vertx), netClient)
        .consumer("early", WireClient.consumerOn("fan", "early"))
        .then("publish m1..m3 to fan", s -> publishConfirmed(s.broker(), "fan", 1, 3))
        .then("early gets and acks 1..3", s -> s.peer("early").expectOnlyAndAck("fan", 1, 2, 3))
        .close("early")
        // Created now, from the next message published: 1..3 are not for it.
        .consumer("late", latest)
        .close("late")
        .awaitStats("both consumers gone", s -> s.consumers() == 0 && s.acked() == 3)
        .then("publish m4..m5 to fan", s -> publishConfirmed(s.broker(), "fan", 4, 5))
        .restart()
        .snapshot(snapshot -> {
          GroupStats early = TestBroker.group(snapshot, "fan", "early");
          GroupStats late = TestBroker.group(snapshot, "fan", "late");
          assertNotNull(early, "group early lost: " + snapshot);
          assertNotNull(late, "group late lost: " + snapshot);
          assertEquals(2, early.ready(), snapshot.toString());
          assertEquals(2, late.ready(), snapshot.toString());
          assertEquals(2, TestBroker.topic(snapshot, "fan").retainedMessages(), snapshot.toString());
        })
        // Registered without "start": a group recreated from scratch would start at 1.
        .subscribe("early-again", WireClient.consumerOn("fan", "early"))
        .then("early gets and acks 4..5", s -> s.peer("early-again").expectOnlyAndAck("fan", 4, 5))
        .subscribe("late-again", WireClient.consumerOn("fan", "late"))
        .then("late gets and acks 4..5", s -> s.peer("late-again").expectOnlyAndAck("fan", 4, 5))
        .awaitSnapshot("both groups done", s -> TestBroker.topic(s, "fan").retainedMessages() == 0)
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- (d) every fsync mode ----

  @ParameterizedTest
  @ValueSource(strings = {"always", "interval", "never"})
  void everyFsyncModeConfirmsAndKeepsMessagesAcrossAGracefulRestart(String fsync, Vertx vertx,
      VertxTestContext testContext) {
    int n = 25;
    Scenario.start(durable(vertx, "fsync", fsync, "fsync_interval_ms", 20), netClient)
        .then("publish m1..m" + n, s -> publishConfirmed(s.broker(), 1, n))
        .restart()
        .subscribe("consumer", WireClient.REGISTER_CONSUMER)
        .then("consumer gets m1..m" + n, s -> expectMessages(s.peer("consumer"), 1, n))
        .then("consumer acks them", s -> ackRange(s.peer("consumer"), 1, n))
        .expectNothingMore("consumer")
        .run()
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- (e) a torn tail ----

  @Test
  void tornTailIsCutAndTheLogContinuesWithTheNextId(Vertx vertx, VertxTestContext testContext) {
    int n = 5;
    DurableBroker durable = durable(vertx);
    durable.start()
        .compose(broker -> publishConfirmed(broker, 1, n))
        .compose(v -> durable.stop())
        .compose(v -> {
          // The start of a record whose length promises far more than follows: a torn write.
          Path segment = lastSegment(durable.logDir("default", "messages"));
          long before = size(segment);
          append(segment, new byte[] {0, 0, 0, 64, 1, 2, 3, 4, 1, 0, 0});
          testContext.verify(() -> assertEquals(before + 11, size(segment)));
          return durable.start();
        })
        .compose(broker -> broker.consumer(netClient, "consumer")
            .compose(consumer -> expectMessages(consumer, 1, n)
                .compose(v -> ackRange(consumer, 1, n))
                .compose(v -> publishConfirmed(broker, n + 1, n + 2))
                .compose(v -> expectMessages(consumer, n + 1, n + 2))
                .compose(v -> ackRange(consumer, n + 1, n + 2))
                .compose(v -> consumer.expectNothingMore())))
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- (f) a bad CRC in the middle of a segment ----

  @Test
  void recordWithABadCrcMidSegmentIsSkippedAndReported(Vertx vertx, VertxTestContext testContext) {
    int n = 5;
    long damaged = 3;
    DurableBroker durable = durable(vertx);
    ListAppender<ILoggingEvent> recoveryLog = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger("dev.courier.storage.LogRecovery");
    recoveryLog.start();
    logger.addAppender(recoveryLog);
    durable.start()
        .compose(broker -> publishConfirmed(broker, 1, n))
        .compose(v -> durable.stop())
        .compose(v -> {
          flipLastBodyByte(lastSegment(durable.logDir("default", "messages")), damaged);
          return durable.start();
        })
        .compose(broker -> {
          List<String> warnings;
          synchronized (recoveryLog) {
            warnings = recoveryLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
          }
          logger.detachAppender(recoveryLog);
          testContext.verify(() -> assertTrue(
              warnings.stream().anyMatch(w -> w.contains("bad CRC, id " + damaged) && w.contains("record skipped")),
              "recovery did not report the damaged record: " + warnings));
          return broker.consumer(netClient, "consumer")
              .compose(consumer -> consumer.expectMessage(1, "m1")
                  .compose(v -> consumer.expectMessage(2, "m2"))
                  .compose(v -> consumer.expectMessage(4, "m4"))
                  .compose(v -> consumer.expectMessage(5, "m5"))
                  .compose(v -> consumer.send(ack(1), ack(2), ack(4), ack(5)))
                  .compose(v -> consumer.expectNothingMore())
                  .compose(v -> publishConfirmed(broker, n + 1, n + 1))
                  .compose(v -> consumer.expectMessage(n + 1, "m" + (n + 1)))
                  .compose(v -> consumer.send(ack(n + 1))))
              .compose(v -> broker.awaitStats("all delivered acked", s -> s.inFlight() == 0 && s.ready() == 0));
        })
        .onComplete(testContext.succeedingThenComplete());
  }

  // ---- (g) the disk limit ----

  @Test
  void fullDiskRefusesPublishesUntilRetentionFreesSpace(Vertx vertx, VertxTestContext testContext) {
    String payload = "x".repeat(100);
    durable(vertx, "max_disk_bytes", 20_000, "segment_bytes", 4096, "checkpoint_interval_ms", 50).start()
        .compose(broker -> broker.registeredProducer(netClient, "producer").compose(producer ->
            publishUntilRefused(producer, payload, 1).compose(confirmed -> {
              testContext.verify(() -> assertTrue(confirmed > 10, "refused after only " + confirmed));
              // The connection stays: the next publish is answered too (still refused).
              return producer.send(publish(payload))
                  .compose(v -> producer.expectError("storage_unavailable"))
                  .compose(v -> broker.consumer(netClient, "consumer"))
                  .compose(consumer -> expectPayloads(consumer, 1, confirmed, payload)
                      .compose(v -> ackRange(consumer, 1, confirmed))
                      .compose(v -> broker.awaitStats("everything acked",
                          s -> s.acked() == confirmed && s.inFlight() == 0))
                      // Retention runs with each checkpoint: publishing comes back.
                      .compose(v -> publishUntilAccepted(vertx, producer, payload,
                          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_DEADLINE_MS)))
                      // Refused publishes used up no ids.
                      .compose(v -> expectPayloads(consumer, confirmed + 1, confirmed + 1, payload))
                      .compose(v -> consumer.send(ack(confirmed + 1)))
                      .compose(v -> consumer.expectNothingMore()));
            })))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void pipelinedPublishesAreConfirmedUpToWithinOneRecordOfTheDiskLimitAndNoneAfterTheFirstRefusal(Vertx vertx,
      VertxTestContext testContext) {
    String payload = "x".repeat(100);
    // On disk: length and CRC 8, type and id 9, timestamp 8, flags 1, three counts 12, payload 100.
    int recordBytes = 138;
    long limit = 20_000;
    int publishes = 300; // about 41 KB of records: twice the limit
    String[] frames = new String[publishes];
    java.util.Arrays.fill(frames, publish(payload));
    durable(vertx, "max_disk_bytes", limit, "segment_bytes", 4096).start()
        .compose(broker -> broker.registeredProducer(netClient, "producer"))
        .compose(producer -> producer.send(frames).compose(v -> replies(producer, publishes, new ArrayList<>())))
        .onComplete(testContext.succeeding(replies -> testContext.verify(() -> {
          int confirmed = replies.indexOf("error:storage_unavailable");
          assertTrue(confirmed > 100, "refused after " + confirmed + ": " + replies);
          assertEquals(List.of("ok"), replies.subList(0, confirmed).stream().distinct().toList());
          assertEquals(List.of("error:storage_unavailable"),
              replies.subList(confirmed, publishes).stream().distinct().toList(), "no ok after the first refusal");
          long onDisk;
          try (Stream<Path> files = Files.walk(dataDir)) {
            onDisk = files.filter(f -> f.toString().endsWith(".seg")).mapToLong(DurableBrokerTest::size).sum();
          }
          assertTrue(onDisk <= limit, onDisk + " bytes of segments on disk, limit " + limit);
          assertTrue(limit - onDisk < recordBytes + 8, (limit - onDisk) + " bytes unused: the next record fitted");
          testContext.completeNow();
        })));
  }

  /** The next {@code count} replies, as "ok" or "error:code". */
  private static Future<List<String>> replies(WireClient client, int count, List<String> so) {
    if (so.size() == count) {
      return Future.succeededFuture(so);
    }
    return client.next().compose(frame -> {
      so.add("ok".equals(frame.getString("type")) ? "ok" : frame.getString("type") + ":" + frame.getString("code"));
      return replies(client, count, so);
    });
  }

  // ---- (h) retention deletes whole segments ----

  @Test
  void fullyAckedSegmentsAreDeletedDownToTheActiveOne(Vertx vertx, VertxTestContext testContext) {
    int n = 600; // records of about 40 bytes: several 4 KiB segments
    DurableBroker durable = durable(vertx, "segment_bytes", 4096, "checkpoint_interval_ms", 50, "retention_ms", 0);
    Path messages = durable.logDir("default", "messages");
    durable.start()
        .compose(broker -> publishConfirmed(broker, 1, n)
            .compose(v -> {
              testContext.verify(() -> assertTrue(segmentCount(messages) >= 4,
                  "expected several segments, found " + segmentCount(messages)));
              return broker.consumer(netClient, "consumer");
            })
            .compose(consumer -> receiveAndAck(consumer, 1, n))
            // Acks sent are not acks handled: wait for the broker to count them all before stopping.
            .compose(v -> broker.awaitStats("all acked", stats -> stats.acked() == n))
            .compose(v -> poll(vertx, "messages/ down to the active segment", () -> segmentCount(messages) == 1)))
        .compose(v -> durable.restart())
        // What is left holds only acked messages: nothing comes back.
        .compose(broker -> broker.registeredConsumer(netClient, "after")
            .compose(after -> after.expectNothingMore())
            .compose(v -> publishConfirmed(broker, n + 1, n + 1)))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void retentionBytesKeepsAckedSegments(Vertx vertx, VertxTestContext testContext) {
    int n = 600; // records of about 40 bytes: several 4 KiB segments
    DurableBroker durable = durable(vertx, "segment_bytes", 4096, "checkpoint_interval_ms", 50,
        "retention_ms", 0, "retention_bytes", 100L * 1024 * 1024);
    Path messages = durable.logDir("default", "messages");
    int[] before = new int[1];
    durable.start()
        .compose(broker -> publishConfirmed(broker, 1, n)
            .compose(v -> broker.consumer(netClient, "consumer"))
            .compose(consumer -> receiveAndAck(consumer, 1, n))
            .compose(v -> broker.awaitStats("all acked", s -> s.acked() == n))
            .compose(v -> {
              before[0] = segmentCount(messages);
              // The graceful stop runs one more retention pass after every ack, then closes
              // storage: once it is done, retention has had its chance.
              return durable.stop();
            }))
        .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
          assertTrue(before[0] >= 4, "expected several segments, found " + before[0]);
          assertEquals(before[0], segmentCount(messages), "retention_bytes should keep acked segments");
          testContext.completeNow();
        })));
  }

  // ---- helpers ----

  /** Publishes {@code "m" + id} for each id in [from, to] to the default topic; every one confirmed. */
  private Future<Void> publishConfirmed(TestBroker broker, int from, int to) {
    return broker.registeredProducer(netClient, "producer-" + from)
        .compose(producer -> publishRange(producer, null, from, to).compose(v -> producer.close()));
  }

  private Future<Void> publishConfirmed(TestBroker broker, String topic, int from, int to) {
    return broker.registeredProducer(netClient, "producer-" + from)
        .compose(producer -> publishRange(producer, topic, from, to).compose(v -> producer.close()));
  }

  private static Future<Void> publishRange(WireClient producer, String topic, int from, int to) {
    String[] frames = new String[to - from + 1];
    for (int id = from; id <= to; id++) {
      frames[id - from] = topic == null ? publish("m" + id) : WireClient.publishTo(topic, "m" + id);
    }
    return producer.send(frames).compose(v -> producer.expectOks(frames.length));
  }

  /** Seed message frames {@code "m" + id} for exactly ids from..to, in order. */
  private static Future<Void> expectMessages(WireClient consumer, long from, long to) {
    Future<Void> chain = Future.succeededFuture();
    for (long id = from; id <= to; id++) {
      long expected = id;
      chain = chain.compose(v -> consumer.expectMessage(expected, "m" + expected));
    }
    return chain;
  }

  /** As {@link #expectMessages}, acking each on arrival: for more than a consumer's credit. */
  private static Future<Void> receiveAndAck(WireClient consumer, long from, long to) {
    Future<Void> chain = Future.succeededFuture();
    for (long id = from; id <= to; id++) {
      long expected = id;
      chain = chain.compose(v -> consumer.expectMessage(expected, "m" + expected))
          .compose(v -> consumer.send(ack(expected)));
    }
    return chain;
  }

  private static Future<Void> expectPayloads(WireClient consumer, long from, long to, String payload) {
    Future<Void> chain = Future.succeededFuture();
    for (long id = from; id <= to; id++) {
      long expected = id;
      chain = chain.compose(v -> consumer.expectMessage(expected, payload));
    }
    return chain;
  }

  private static Future<Void> ackRange(WireClient consumer, long from, long to) {
    String[] acks = new String[(int) (to - from + 1)];
    for (long id = from; id <= to; id++) {
      acks[(int) (id - from)] = ack(id);
    }
    return consumer.send(acks);
  }

  /** Publishes one at a time until one is refused; returns how many were confirmed. */
  private static Future<Integer> publishUntilRefused(WireClient producer, String payload, int attempt) {
    if (attempt > 2_000) {
      return Future.failedFuture(new AssertionFailedError("2000 publishes and never storage_unavailable"));
    }
    return producer.send(publish(payload)).compose(v -> producer.next()).compose(frame -> {
      if (frame.equals(new JsonObject(WireClient.OK))) {
        return publishUntilRefused(producer, payload, attempt + 1);
      }
      if ("error".equals(frame.getString("type")) && "storage_unavailable".equals(frame.getString("code"))) {
        return Future.succeededFuture(attempt - 1);
      }
      return Future.failedFuture(new AssertionFailedError("unexpected reply to a publish: " + frame.encode()));
    });
  }

  /** Publishes until one is confirmed; each refusal must be storage_unavailable. */
  private static Future<Void> publishUntilAccepted(Vertx vertx, WireClient producer, String payload,
      long deadlineNanos) {
    return producer.send(publish(payload)).compose(v -> producer.next()).compose(frame -> {
      if (frame.equals(new JsonObject(WireClient.OK))) {
        return Future.succeededFuture();
      }
      if (!"storage_unavailable".equals(frame.getString("code"))) {
        return Future.failedFuture(new AssertionFailedError("unexpected reply to a publish: " + frame.encode()));
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        return Future.failedFuture(new AssertionFailedError("publishes still refused after retention: " + frame.encode()));
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(POLL_MS, t -> publishUntilAccepted(vertx, producer, payload, deadlineNanos).onComplete(later));
      return later.future();
    });
  }

  /** Polls {@code condition} every few milliseconds until it holds, or fails at the deadline. */
  private static Future<Void> poll(Vertx vertx, String description, BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_DEADLINE_MS);
    pollStep(vertx, description, condition, deadline, promise);
    return promise.future();
  }

  private static void pollStep(Vertx vertx, String description, BooleanSupplier condition, long deadline,
      Promise<Void> promise) {
    if (condition.getAsBoolean()) {
      promise.complete();
    } else if (System.nanoTime() - deadline > 0) {
      promise.fail(new AssertionFailedError("never saw " + description));
    } else {
      vertx.setTimer(POLL_MS, t -> pollStep(vertx, description, condition, deadline, promise));
    }
  }

  private static List<Path> segments(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int segmentCount(Path dir) {
    return segments(dir).size();
  }

  private static Path lastSegment(Path dir) {
    List<Path> segments = segments(dir);
    assertTrue(!segments.isEmpty(), "no segment in " + dir);
    return segments.get(segments.size() - 1);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void append(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Walks the records of a segment ({@code [u32 length][u32 crc][u8 type][u64 id][body]} after an
   * 8-byte header) and flips the last body byte of the record with this id, leaving its CRC stale.
   */
  private static void flipLastBodyByte(Path segment, long id) {
    try {
      byte[] bytes = Files.readAllBytes(segment);
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      List<Long> seen = new ArrayList<>();
      int position = 8;
      while (position + 17 <= bytes.length) {
        int length = buffer.getInt(position);
        long recordId = buffer.getLong(position + 9);
        seen.add(recordId);
        int end = position + 8 + length;
        if (recordId == id) {
          assertTrue(end < bytes.length, "record " + id + " is the last one, not mid-segment");
          bytes[end - 1] ^= 0x5A;
          Files.write(segment, bytes);
          return;
        }
        position = end;
      }
      throw new AssertionFailedError("no record " + id + " in " + segment + "; ids " + seen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
