package dev.courier.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Stats and history replies come in pages of at most max_frame_bytes, and following them visits all. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ReplyPagingTest {
  private static final int MAX_FRAME_BYTES = 8192;
  private static final int TOPICS = 2000;
  /** Messages of about 1 KB: 40 of them are five times the frame limit. */
  private static final int MESSAGES = 40;

  private NetClient netClient;
  /** Kept in a field: an unreachable socket may be reclaimed mid-test. */
  private NetSocket silent;

  @TempDir
  Path dataDir;

  @BeforeEach
  void setUp(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  private Map<String, Object> durable() {
    return Map.of("storage", "durable", "data_dir", dataDir.toString(), "max_frame_bytes", MAX_FRAME_BYTES);
  }

  private static Map<String, Object> memory() {
    return Map.of("max_frame_bytes", MAX_FRAME_BYTES);
  }

  private static String payload(int n) {
    return ("m" + n + "-").repeat(1000 / (2 + String.valueOf(n).length()) + 1);
  }

  private static int bytes(String frame) {
    return frame.getBytes(UTF_8).length;
  }

  /** Asks for stats pages from {@code after} on until one has no next; collects every page's text. */
  private Future<List<String>> statsPages(WireClient client, String after, List<String> pages) {
    String request = after == null ? WireClient.STATS : "{\"type\":\"stats\",\"after\":\"" + after + "\"}";
    return client.send(request).compose(v -> client.nextText()).compose(text -> {
      pages.add(text);
      String next = new JsonObject(text).getString("next");
      return next == null ? Future.succeededFuture(pages) : statsPages(client, next, pages);
    });
  }

  @Test
  void statsOfTwoThousandTopicsComeInPagesWithinTheFrameLimitThatVisitEveryTopicOnce(Vertx vertx,
      VertxTestContext testContext) {
    List<String> names = IntStream.range(0, TOPICS).mapToObj(i -> "topic-" + (i * 7919 % TOPICS))
        .collect(Collectors.toList());
    Map<String, Object> settings = new HashMap<>(memory());
    settings.put("topics", String.join(",", names));
    TestBroker.deploy(vertx, settings)
        .compose(broker -> broker.registeredConsumer(netClient, "consumer", WireClient.consumerOn("topic-1999", "g"))
            .compose(consumer -> broker.connect(netClient, "observer")))
        .compose(observer -> statsPages(observer, null, new ArrayList<>()))
        .onComplete(testContext.succeeding(pages -> testContext.verify(() -> {
          assertTrue(pages.size() > 10, "2,000 topics take many 8 KiB pages, got " + pages.size());
          List<String> seen = new ArrayList<>();
          for (String page : pages) {
            assertTrue(bytes(page) <= MAX_FRAME_BYTES, "a page of " + bytes(page) + " bytes");
            assertTrue(bytes(page) > MAX_FRAME_BYTES - 400 || page == pages.get(pages.size() - 1),
                "every page but the last is full: " + bytes(page));
            JsonObject reply = new JsonObject(page);
            assertEquals(1, reply.getJsonObject("broker").getInteger("consumers"), "totals cover every topic");
            JsonArray topics = reply.getJsonArray("topics");
            for (int t = 0; t < topics.size(); t++) {
              JsonObject topic = topics.getJsonObject(t);
              seen.add(topic.getString("name"));
              assertEquals(topic.getString("name").equals("topic-1999") ? 1 : 0, topic.getJsonArray("groups").size());
            }
          }
          assertEquals(names.stream().sorted().toList(), seen, "every topic once, in name order");
          assertFalse(pages.get(pages.size() - 1).contains("\"next\""));
          testContext.completeNow();
        })));
  }

  @Test
  void aStatsLimitBoundsThePageByCount(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of("topics", "c,a,b"))
        .compose(broker -> broker.connect(netClient, "observer"))
        .compose(observer -> observer.send("{\"type\":\"stats\",\"limit\":2}").compose(v -> observer.next())
            .compose(first -> {
              testContext.verify(() -> {
                assertEquals(List.of("a", "b"), topicNames(first));
                assertEquals("b", first.getString("next"));
              });
              return observer.send("{\"type\":\"stats\",\"after\":\"b\",\"limit\":2}").compose(v -> observer.next());
            }))
        .onComplete(testContext.succeeding(last -> testContext.verify(() -> {
          assertEquals(List.of("c"), topicNames(last));
          assertNull(last.getValue("next"));
          testContext.completeNow();
        })));
  }

  private static List<String> topicNames(JsonObject reply) {
    return reply.getJsonArray("topics").stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }

  /** Follows next_id from {@code from} until a reply has none; collects every reply's text. */
  private Future<List<String>> historyPages(WireClient client, String topic, Long from, List<String> pages) {
    String request = "{\"type\":\"history\",\"topic\":\"" + topic + "\",\"limit\":1000"
        + (from == null ? "" : ",\"from\":" + from) + "}";
    return client.send(request).compose(v -> client.nextText()).compose(text -> {
      pages.add(text);
      Long next = new JsonObject(text).getLong("next_id");
      return next == null ? Future.succeededFuture(pages) : historyPages(client, topic, next, pages);
    });
  }

  private Future<List<String>> publishThenReadHistory(Vertx vertx, Map<String, Object> settings) {
    String[] publishes = new String[MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      publishes[i] = WireClient.publish(payload(i + 1));
    }
    return TestBroker.deploy(vertx, settings)
        .compose(broker -> broker.registeredProducer(netClient, "producer")
            .compose(producer -> producer.send(publishes).compose(v -> producer.expectOks(MESSAGES)))
            .compose(v -> broker.connect(netClient, "reader")))
        .compose(reader -> historyPages(reader, "default", null, new ArrayList<>()));
  }

  private void assertEveryMessageOnceInOrderInPagesWithinTheLimit(List<String> pages) {
    assertTrue(pages.size() >= 5, "40 KB of messages take at least five 8 KiB pages, got " + pages.size());
    List<Long> ids = new ArrayList<>();
    for (String page : pages) {
      assertTrue(bytes(page) <= MAX_FRAME_BYTES, "a reply of " + bytes(page) + " bytes");
      JsonArray messages = new JsonObject(page).getJsonArray("messages");
      for (int m = 0; m < messages.size(); m++) {
        JsonObject message = messages.getJsonObject(m);
        ids.add(message.getLong("id"));
        assertEquals(payload(message.getLong("id").intValue()), message.getString("payload"));
      }
    }
    assertEquals(LongStream.rangeClosed(1, MESSAGES).boxed().toList(), ids);
  }

  @Test
  void durableHistoryFarLargerThanAFrameComesInPagesThatFollowNextIdToEveryMessageOnce(Vertx vertx,
      VertxTestContext testContext) {
    publishThenReadHistory(vertx, durable()).onComplete(testContext.succeeding(pages -> testContext.verify(() -> {
      assertEveryMessageOnceInOrderInPagesWithinTheLimit(pages);
      testContext.completeNow();
    })));
  }

  @Test
  void memoryHistoryFarLargerThanAFrameComesInPagesThatFollowNextIdToEveryMessageOnce(Vertx vertx,
      VertxTestContext testContext) {
    publishThenReadHistory(vertx, memory()).onComplete(testContext.succeeding(pages -> testContext.verify(() -> {
      assertEveryMessageOnceInOrderInPagesWithinTheLimit(pages);
      testContext.completeNow();
    })));
  }

  @Test
  void aMessageNearTheFrameLimitComesAloneInItsPageAndPagingGoesOnAfterIt(Vertx vertx, VertxTestContext testContext) {
    String big = "b".repeat(MAX_FRAME_BYTES - 40);
    TestBroker.deploy(vertx, durable())
        .compose(broker -> broker.registeredProducer(netClient, "producer")
            .compose(producer -> producer.send(WireClient.publish("small"), WireClient.publish(big),
                WireClient.publish("after")).compose(v -> producer.expectOks(3)))
            .compose(v -> broker.connect(netClient, "reader")))
        .compose(reader -> historyPages(reader, "default", 1L, new ArrayList<>()))
        .onComplete(testContext.succeeding(pages -> testContext.verify(() -> {
          assertEquals(3, pages.size(), "small, big and after do not share a page: " + pages.size());
          assertEquals(List.of(2L), ids(pages.get(1)));
          assertTrue(bytes(pages.get(1)) <= MAX_FRAME_BYTES + 256, "the documented allowance for a lone message");
          assertEquals(List.of(3L), ids(pages.get(2)));
          testContext.completeNow();
        })));
  }

  private static List<Long> ids(String page) {
    return new JsonObject(page).getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("id")).toList();
  }

  @Test
  void aConnectionIsNotReadWhileItsHistoryReadIsPendingSoItsRepliesKeepRequestOrder(Vertx vertx,
      VertxTestContext testContext) {
    String history = "{\"type\":\"history\",\"topic\":\"default\",\"from\":1}";
    TestBroker.deploy(vertx, durable())
        .compose(broker -> broker.registeredProducer(netClient, "producer")
            .compose(producer -> producer.send(WireClient.publish("x")).compose(v -> producer.expectOk()))
            .compose(v -> broker.connect(netClient, "reader")))
        // Without the pause, stats (answered on the loop) would overtake the durable read's reply.
        .compose(reader -> reader.send(history, WireClient.STATS, history, WireClient.STATS)
            .compose(v -> collect(reader, 4, new ArrayList<>())))
        .onComplete(testContext.succeeding(types -> testContext.verify(() -> {
          assertEquals(List.of("history_reply", "stats_reply", "history_reply", "stats_reply"), types);
          testContext.completeNow();
        })));
  }

  private Future<List<String>> collect(WireClient client, int count, List<String> types) {
    if (types.size() == count) {
      return Future.succeededFuture(types);
    }
    return client.next().compose(frame -> {
      types.add(frame.getString("type"));
      return collect(client, count, types);
    });
  }

  @Test
  void pipelinedHistoryRequestsFromAClientThatReadsNothingLeaveStorageServingAHealthyPair(Vertx vertx,
      VertxTestContext testContext) {
    int requests = 300;
    Buffer attack = Buffer.buffer();
    for (int i = 0; i < requests; i++) {
      attack.appendBuffer(WireClient.frame("{\"type\":\"history\",\"topic\":\"default\",\"from\":1,\"limit\":1000}"));
    }
    String[] publishes = new String[MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      publishes[i] = WireClient.publish(payload(i + 1));
    }
    Promise<List<Integer>> replySizes = Promise.promise();
    TestBroker.deploy(vertx, durable())
        .compose(broker -> broker.registeredProducer(netClient, "producer")
            .compose(producer -> producer.send(publishes).compose(v -> producer.expectOks(MESSAGES))
                .compose(v -> netClient.connect(broker.port, "127.0.0.1"))
                .compose(socket -> {
                  silent = socket;
                  socket.pause(); // reads nothing: every reply stays with the broker or in the kernel
                  return socket.write(attack);
                })
                // The healthy pair, while the attacker's reads are queued: a publish is stored and delivered.
                .compose(v -> producer.send(WireClient.publish("healthy")))
                .compose(v -> producer.expectOk()))
            .compose(v -> broker.consumer(netClient, "consumer"))
            .compose(consumer -> consumer.expectMessage(1, payload(1))))
        .compose(v -> {
          readFrames(silent, requests, replySizes);
          silent.resume();
          return replySizes.future();
        })
        .onComplete(testContext.succeeding(sizes -> testContext.verify(() -> {
          assertEquals(requests, sizes.size(), "every request is answered once the client reads");
          assertTrue(sizes.stream().allMatch(size -> size <= MAX_FRAME_BYTES), "replies within the limit: " + sizes);
          testContext.completeNow();
        })));
  }

  /** Splits what {@code socket} receives into frames and completes with their body sizes at {@code count}. */
  private static void readFrames(NetSocket socket, int count, Promise<List<Integer>> sizes) {
    List<Integer> found = new ArrayList<>();
    Buffer[] pending = {Buffer.buffer()};
    socket.handler(chunk -> {
      pending[0].appendBuffer(chunk);
      while (pending[0].length() >= 4 && pending[0].length() >= 4 + pending[0].getInt(0)) {
        int length = pending[0].getInt(0);
        String body = pending[0].getString(4, 4 + length, "UTF-8");
        if (!body.startsWith("{\"type\":\"history_reply\"")) {
          sizes.tryFail("not a history reply: " + body.substring(0, Math.min(200, body.length())));
        }
        found.add(length);
        pending[0] = pending[0].getBuffer(4 + length, pending[0].length());
      }
      if (found.size() >= count) {
        sizes.tryComplete(found);
      }
    });
  }
}
