package dev.courier.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import org.opentest4j.AssertionFailedError;

/**
 * One raw TCP peer of the broker, for transcript-style socket tests: send this frame, expect that
 * frame, expect close. Frames sent are literal JSON strings with a 4-byte big-endian length (never
 * through {@code FrameCodec}), so the tests pin the bytes on the wire; frames received are queued
 * as their exact text and handed out one at a time, each wait bounded by a deadline.
 *
 * <p>All of a client's state lives on its socket's context: every method hops there, so tests may
 * call it from any thread or continuation. The {@code expect...} methods return a future that fails
 * with an {@link AssertionFailedError} when the transcript differs, which fails the test through
 * {@code succeedingThenComplete()} at the end of its chain.
 */
final class WireClient {
  /** How long any single expectation waits; far below the classes' {@code @Timeout}. */
  static final long DEADLINE_MS = 5_000;

  static final String REGISTER_PRODUCER = "{\"type\":\"register\",\"role\":\"producer\"}";
  static final String REGISTER_CONSUMER = "{\"type\":\"register\",\"role\":\"consumer\"}";
  static final String OK = "{\"type\":\"ok\"}";
  static final String STATS = "{\"type\":\"stats\"}";
  /** How far an extended message's {@code timestamp} may be from this machine's clock. */
  private static final long TIMESTAMP_SLACK_MS = 60_000;

  private final String name;
  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final ArrayDeque<String> received = new ArrayDeque<>();
  private Promise<String> waiting;
  private long waitingTimer = -1;
  private boolean closed;
  private Promise<Void> closeWaiter;

  private WireClient(String name, Vertx vertx, Context context, NetSocket socket) {
    this.name = name;
    this.vertx = vertx;
    this.context = context;
    this.socket = socket;
  }

  /** Connects to the broker on 127.0.0.1; {@code name} appears in failure messages. */
  static Future<WireClient> connect(Vertx vertx, NetClient netClient, int port, String name) {
    return netClient.connect(port, "127.0.0.1").map(socket -> {
      WireClient client = new WireClient(name, vertx, Vertx.currentContext(), socket);
      client.listen();
      return client;
    });
  }

  static String publish(String payload) {
    return "{\"type\":\"publish\",\"payload\":\"" + payload + "\"}";
  }

  /** A register with a topic and group: an extended consumer, which gets the extra message fields. */
  static String consumerOn(String topic, String group) {
    return "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"" + topic + "\",\"group\":\"" + group + "\"}";
  }

  static String producerOn(String topic) {
    return "{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"" + topic + "\"}";
  }

  /** A publish whose {@code topic} overrides the producer's registered one. */
  static String publishTo(String topic, String payload) {
    return "{\"type\":\"publish\",\"payload\":\"" + payload + "\",\"topic\":\"" + topic + "\"}";
  }

  static String credit(long n) {
    return "{\"type\":\"credit\",\"n\":" + n + "}";
  }

  static String ack(long id) {
    return "{\"type\":\"ack\",\"id\":" + id + "}";
  }

  static String message(long id, String payload) {
    return "{\"type\":\"message\",\"id\":" + id + ",\"payload\":\"" + payload + "\"}";
  }

  /** A frame: the body's UTF-8 length as a 4-byte big-endian prefix, then the body. */
  static Buffer frame(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(4 + body.length).appendInt(body.length).appendBytes(body);
  }

  String name() {
    return name;
  }

  Future<Void> send(String json) {
    return socket.write(frame(json));
  }

  /** Several frames in one write, so the broker may see them in one read. */
  Future<Void> send(String... jsons) {
    Buffer all = Buffer.buffer();
    for (String json : jsons) {
      all.appendBuffer(frame(json));
    }
    return socket.write(all);
  }

  Future<Void> sendRaw(Buffer bytes) {
    return socket.write(bytes);
  }

  Future<Void> close() {
    return socket.close();
  }

  /** The exact text of the next frame, waiting up to {@link #DEADLINE_MS}. */
  Future<String> nextText() {
    Promise<String> promise = Promise.promise();
    context.runOnContext(v -> {
      if (!received.isEmpty()) {
        promise.complete(received.poll());
      } else if (closed) {
        promise.fail(fail("expected a frame but the connection is closed"));
      } else if (waiting != null) {
        promise.fail(new IllegalStateException(name + ": already waiting for a frame"));
      } else {
        waiting = promise;
        waitingTimer = vertx.setTimer(DEADLINE_MS, t -> {
          waiting = null;
          promise.tryFail(fail("no frame within " + DEADLINE_MS + " ms"));
        });
      }
    });
    return promise.future();
  }

  /** The next frame parsed as JSON. */
  Future<JsonObject> next() {
    return nextText().map(JsonObject::new);
  }

  /** The next frame is byte for byte {@code json}. */
  Future<Void> expect(String json) {
    return nextText().compose(text -> json.equals(text)
        ? Future.succeededFuture()
        : Future.failedFuture(new AssertionFailedError(name + ": expected frame " + json + " but got " + text, json, text)));
  }

  Future<Void> expectOk() {
    return expect(OK);
  }

  /** The next frame is exactly {@code {"type":"message","id":id,"payload":payload}}. */
  Future<Void> expectMessage(long id, String payload) {
    return expect(message(id, payload));
  }

  /** The next {@code count} frames are each exactly {@code {"type":"ok"}}. */
  Future<Void> expectOks(int count) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain = chain.compose(v -> expectOk());
    }
    return chain;
  }

  /**
   * The next frame is a message with the extended fields of a client that registered with more
   * than its role: byte for byte {@code {"type":"message","id":id,"payload":payload,"topic":topic,
   * "attempt":attempt,"timestamp":}} followed by a wall-clock timestamp near now; returned parsed
   * (in wire order) so the caller can check what follows it.
   */
  Future<JsonObject> nextExtendedMessage(long id, String payload, String topic, int attempt) {
    String prefix = "{\"type\":\"message\",\"id\":" + id + ",\"payload\":\"" + payload + "\",\"topic\":\""
        + topic + "\",\"attempt\":" + attempt + ",\"timestamp\":";
    return nextText().compose(text -> {
      if (!text.startsWith(prefix)) {
        return Future.failedFuture(new AssertionFailedError(name + ": expected an extended message starting "
            + prefix + " but got " + text, prefix + "...", text));
      }
      JsonObject frame = new JsonObject(text);
      Object timestamp = frame.getValue("timestamp");
      if (!(timestamp instanceof Long || timestamp instanceof Integer)
          || Math.abs(((Number) timestamp).longValue() - System.currentTimeMillis()) > TIMESTAMP_SLACK_MS) {
        return Future.failedFuture(fail("implausible timestamp in " + text));
      }
      return Future.succeededFuture(frame);
    });
  }

  /** As {@link #nextExtendedMessage}, and nothing follows the timestamp (no key, headers, encoding). */
  Future<Void> expectExtendedMessage(long id, String payload, String topic, int attempt) {
    return nextExtendedMessage(id, payload, topic, attempt).compose(frame -> frame.size() == 6
        ? Future.succeededFuture()
        : Future.failedFuture(fail("expected no fields after timestamp in " + frame.encode())));
  }

  /**
   * For an extended consumer: the next frames are first deliveries of exactly these ids of
   * {@code topic}, in order, each with payload {@code "m" + id}; then acks them all, and proves
   * with an ack of id 0 (whose {@code unknown_message} must come next) that nothing else arrived.
   */
  Future<Void> expectOnlyAndAck(String topic, long... ids) {
    Future<Void> chain = Future.succeededFuture();
    String[] acks = new String[ids.length + 1];
    for (int i = 0; i < ids.length; i++) {
      long id = ids[i];
      chain = chain.compose(v -> expectExtendedMessage(id, "m" + id, topic, 1));
      acks[i] = ack(id);
    }
    acks[ids.length] = ack(0);
    return chain.compose(v -> send(acks)).compose(v -> expectError("unknown_message")).mapEmpty();
  }

  /** Nothing is waiting for this consumer: an ack of id 0 is answered next, with unknown_message. */
  Future<Void> expectNothingMore() {
    return send(ack(0)).compose(v -> expectError("unknown_message")).mapEmpty();
  }

  /**
   * The next frame is a {@code stats_reply} with exactly the fields type, broker, topics and
   * connections, in that order; returned parsed.
   */
  Future<JsonObject> expectStatsReply() {
    return next().compose(frame -> "stats_reply".equals(frame.getValue("type"))
        && List.copyOf(frame.fieldNames()).equals(List.of("type", "broker", "topics", "connections"))
        ? Future.succeededFuture(frame)
        : Future.failedFuture(fail("expected a stats_reply with type, broker, topics, connections but got " + frame.encode())));
  }

  /** The next frame is an error with this code, a non-empty message for people, and nothing else. */
  Future<JsonObject> expectError(String code) {
    return next().compose(frame -> {
      boolean shaped = "error".equals(frame.getValue("type"))
          && code.equals(frame.getValue("code"))
          && frame.getValue("message") instanceof String message && !message.isEmpty()
          && frame.fieldNames().equals(Set.of("type", "message", "code"));
      return shaped
          ? Future.succeededFuture(frame)
          : Future.failedFuture(new AssertionFailedError(name + ": expected an error frame with code " + code + " but got " + frame.encode(),
              "{\"type\":\"error\",\"message\":\"...\",\"code\":\"" + code + "\"}", frame.encode()));
    });
  }

  /** The broker closes the connection, and sent nothing that this test has not read. */
  Future<Void> expectClose() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      if (closed) {
        checkNothingUnread(promise);
        return;
      }
      closeWaiter = promise;
      long timer = vertx.setTimer(DEADLINE_MS, t -> promise.tryFail(fail("still open after " + DEADLINE_MS + " ms")));
      promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    });
    return promise.future();
  }

  private void listen() {
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new io.vertx.core.Handler<>() {
      private boolean body;

      @Override
      public void handle(Buffer record) {
        if (body) {
          parser.fixedSizeMode(4);
          onFrame(record.toString(StandardCharsets.UTF_8));
        } else {
          long length = record.getUnsignedInt(0);
          if (length == 0 || length > 16 * 1024 * 1024) {
            onFrame("{\"type\":\"client-side: implausible frame length " + length + "\"}");
            return;
          }
          parser.fixedSizeMode((int) length);
        }
        body = !body;
      }
    });
    socket.handler(parser);
    socket.closeHandler(v -> onClosed());
  }

  private void onFrame(String text) {
    if (waiting != null) {
      Promise<String> promise = waiting;
      waiting = null;
      vertx.cancelTimer(waitingTimer);
      promise.complete(text);
    } else {
      received.add(text);
    }
  }

  private void onClosed() {
    closed = true;
    if (waiting != null) {
      Promise<String> promise = waiting;
      waiting = null;
      vertx.cancelTimer(waitingTimer);
      promise.tryFail(fail("expected a frame but the connection closed"));
    }
    if (closeWaiter != null) {
      checkNothingUnread(closeWaiter);
      closeWaiter = null;
    }
  }

  private void checkNothingUnread(Promise<Void> promise) {
    if (received.isEmpty()) {
      promise.tryComplete();
    } else {
      promise.tryFail(fail("closed with unread frames " + received));
    }
  }

  private AssertionFailedError fail(String what) {
    return new AssertionFailedError(name + ": " + what);
  }
}
