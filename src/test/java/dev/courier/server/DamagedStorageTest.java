package dev.courier.server;

import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.core.GroupStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The broker over a data_dir whose files were deleted or damaged while it was down (issue 8 items 8, 11). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DamagedStorageTest {
  private static final int PUBLISHED = 12;
  /** With segment_bytes 4096 (the least allowed), three of these fill a segment. */
  private static final String BODY = "x".repeat(1200);

  @TempDir
  Path dataDir;

  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  /** This test's durable broker; segment_bytes 4096 (the least allowed) so that a few messages fill several. */
  private DurableBroker durable(Vertx vertx) {
    return new DurableBroker(vertx, dataDir, "segment_bytes", 4096);
  }

  private static Future<Void> publishConfirmed(TestBroker broker, NetClient netClient, String prefix, int count) {
    return broker.registeredProducer(netClient, "producer-" + prefix).compose(producer -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < count; i++) {
        String payload = prefix + i + BODY;
        chain = chain.compose(v -> producer.send(publish(payload))).compose(v -> producer.expectOk());
      }
      return chain.compose(v -> producer.close());
    });
  }

  /** Reads {@code count} messages; a second, different payload under one id is recorded as a conflict. */
  private static Future<Void> receive(WireClient consumer, int count, Map<Long, String> seen, Map<Long, String> conflicts) {
    if (count == 0) {
      return Future.succeededFuture();
    }
    return consumer.next().compose(frame -> {
      if (!"message".equals(frame.getString("type"))) {
        return Future.failedFuture(new AssertionError("expected a message, got " + frame.encode()));
      }
      long id = frame.getLong("id");
      String payload = frame.getString("payload");
      String before = seen.putIfAbsent(id, payload);
      if (before != null && !before.equals(payload)) {
        conflicts.put(id, payload);
      }
      return receive(consumer, count - 1, seen, conflicts);
    });
  }

  @Test
  void aDeletedLastSegmentNeverGivesAConsumerTwoPayloadsUnderOneId(Vertx vertx, VertxTestContext testContext) {
    Map<Long, String> seen = new TreeMap<>();
    Map<Long, String> conflicts = new TreeMap<>();
    int[] survivors = new int[1];
    DurableBroker durable = durable(vertx);
    durable.start()
        .compose(broker -> publishConfirmed(broker, netClient, "old-", PUBLISHED)
            .compose(v -> broker.consumer(netClient, "before"))
            .compose(consumer -> receive(consumer, PUBLISHED, seen, conflicts).compose(v -> consumer.close()))
            .compose(v -> broker.awaitStats("consumer gone", s -> s.consumers() == 0 && s.inFlight() == 0)))
        .compose(v -> durable.stop())
        .compose(v -> {
          List<Path> segments = durable.segments("default", "messages");
          testContext.verify(() -> assertTrue(segments.size() >= 3, "several segments: " + segments));
          try {
            Files.delete(segments.get(segments.size() - 1)); // the newest, with the last messages in it
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          return durable.start();
        })
        .compose(broker -> broker.snapshot()
            .compose(snapshot -> {
              GroupStats group = TestBroker.group(snapshot, "default", "default");
              survivors[0] = (int) group.ready();
              testContext.verify(() -> assertTrue(survivors[0] > 0 && survivors[0] < PUBLISHED, snapshot.toString()));
              return publishConfirmed(broker, netClient, "new-", 3);
            })
            .compose(v -> broker.consumer(netClient, "after"))
            .compose(consumer -> receive(consumer, survivors[0] + 3, seen, conflicts)
                .compose(v -> consumer.expectNothingMore())))
        .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
          assertEquals(Map.of(), conflicts, "ids given to two different messages");
          long newIds = seen.entrySet().stream().filter(e -> e.getValue().startsWith("new-"))
              .filter(e -> e.getKey() > PUBLISHED).count();
          assertEquals(3, newIds, "the new messages got ids no old message had: " + seen.keySet());
          testContext.completeNow();
        })));
  }

  @Test
  void anEmptyCheckpointRefusesTheStartNamingTheFile(Vertx vertx, VertxTestContext testContext) {
    Path checkpoint = dataDir.resolve("topics/default/checkpoint");
    DurableBroker durable = durable(vertx);
    durable.start()
        .compose(broker -> publishConfirmed(broker, netClient, "m-", 1))
        .compose(v -> durable.stop())
        .compose(v -> {
          try {
            Files.write(checkpoint, new byte[0]);
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          return durable.start();
        })
        .onComplete(testContext.failing(error -> testContext.verify(() -> {
          assertTrue(error.getMessage().startsWith(checkpoint.toAbsolutePath() + " is empty (0 bytes)."),
              error.getMessage());
          assertTrue(error.getMessage().contains("To start anyway, move it away"), error.getMessage());
          testContext.completeNow();
        })));
  }

  @Test
  void aSecondBrokerOnTheSameDataDirIsRefusedAndTheFirstKeepsWorking(Vertx vertx, VertxTestContext testContext) {
    DurableBroker durable = durable(vertx);
    durable.start()
        // A second broker beside the one DurableBroker runs, on the same folder.
        .compose(first -> TestBroker.deploy(vertx, durable.settings())
            .map(second -> (Throwable) null)
            .recover(refused -> Future.succeededFuture(refused))
            .compose(refused -> {
              testContext.verify(() -> {
                assertTrue(refused != null, "a second broker started on the same data_dir");
                assertTrue(refused.getMessage().contains("data_dir " + dataDir.toAbsolutePath()
                    + " is in use by another Courier broker (pid " + ProcessHandle.current().pid()), refused.getMessage());
              });
              return publishConfirmed(first, netClient, "still-", 2);
            })
            .compose(v -> durable.stop()))
        // The refused broker released nothing it did not hold: once the first stops, a start works.
        .compose(v -> durable.start())
        .compose(again -> again.awaitStats("two messages kept", s -> s.ready() == 2).compose(s -> durable.stop()))
        .onComplete(testContext.succeedingThenComplete());
  }
}
