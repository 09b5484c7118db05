package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.config.BrokerConfig;
import dev.courier.server.BrokerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The commands that go through the HTTP API, against an in-process broker with more topics than one page. */
@Timeout(60)
class ApiCommandsTest {
  private static final List<String> NAMES = IntStream.range(0, 1_200).mapToObj(i -> String.format("t%04d", i)).toList();

  private Vertx vertx;
  private int port;
  private int httpPort;

  @BeforeEach
  void startBroker() {
    vertx = Vertx.vertx();
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("host", "127.0.0.1", "port", 0,
        "http_port", 0, "stomp_port", -1, "storage", "memory", "drain_timeout_ms", 0, "topics", String.join(",", NAMES))));
    vertx.deployVerticle(broker).await();
    port = broker.actualPort();
    httpPort = broker.httpPort();
  }

  @AfterEach
  void stopBroker() {
    vertx.close().await();
  }

  @Test
  void topicsPrintsEveryTopicAcrossPagesInTheStatsTableStyle() {
    String table = run(0, new TopicsCommand(), "--http-port", String.valueOf(httpPort));
    String[] lines = table.split("\n");
    assertEquals(NAMES.size() + 1, lines.length, "the header and one row per topic");
    assertTrue(lines[0].startsWith("TOPIC "), lines[0]);
    assertTrue(lines[0].contains("READY") && lines[0].contains("IN-FLIGHT") && lines[0].contains("CONSUMERS"), lines[0]);
    assertTrue(lines[1].startsWith("t0000 "), lines[1]);
    JsonArray found = new JsonArray(run(0, new TopicsCommand(), "--http-port", String.valueOf(httpPort),
        "--search", "t119", "--json"));
    assertEquals(List.of("t1190", "t1191", "t1192", "t1193", "t1194", "t1195", "t1196", "t1197", "t1198", "t1199"),
        found.stream().map(t -> ((JsonObject) t).getString("name")).toList());
  }

  @Test
  void groupsPrintsTheGroupsOfATopic() throws Exception {
    try (Socket consumer = new Socket("127.0.0.1", port)) {
      byte[] body = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"t0007\",\"group\":\"billing\"}"
          .getBytes(StandardCharsets.UTF_8);
      consumer.getOutputStream().write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
      // Registering has no reply: a stats frame after it is answered once the register is done.
      byte[] stats = "{\"type\":\"stats\",\"limit\":1}".getBytes(StandardCharsets.UTF_8);
      consumer.getOutputStream().write(ByteBuffer.allocate(4 + stats.length).putInt(stats.length).put(stats).array());
      consumer.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(consumer.getInputStream());
      in.readFully(new byte[in.readInt()]);
      String table = run(0, new GroupsCommand(), "--http-port", String.valueOf(httpPort), "t0007");
      String[] lines = table.split("\n");
      assertEquals(2, lines.length, table);
      assertTrue(lines[0].startsWith("GROUP "), lines[0]);
      assertTrue(lines[1].matches("billing +0 +0 +1 +0 +0 +0 +0\\.00 +0\\.00"), lines[1]);
    }
  }

  @Test
  void purgePauseAndResumeChangeAGroupAndSaySo() throws Exception {
    String port = String.valueOf(httpPort);
    try (Socket consumer = new Socket("127.0.0.1", this.port)) {
      byte[] body = "{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"t0001\",\"group\":\"g\",\"prefetch\":1}"
          .getBytes(StandardCharsets.UTF_8);
      consumer.getOutputStream().write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
      byte[] stats = "{\"type\":\"stats\",\"limit\":1}".getBytes(StandardCharsets.UTF_8);
      consumer.getOutputStream().write(ByteBuffer.allocate(4 + stats.length).putInt(stats.length).put(stats).array());
      consumer.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(consumer.getInputStream());
      in.readFully(new byte[in.readInt()]);
      assertEquals("t0001/g is paused: no deliveries until resume", run(0, new GroupCommand.Pause(), "--http-port", port,
          "t0001", "g").strip());
      assertTrue(run(0, new GroupsCommand(), "--http-port", port, "t0001").contains("g (PAUSED)"));
      assertEquals("t0001/g delivers again", run(0, new GroupCommand.Resume(), "--http-port", port, "t0001", "g").strip());
      assertEquals("purged 0 ready messages of t0001/g", run(0, new GroupCommand.Purge(), "--http-port", port,
          "t0001", "g").strip());
      assertEquals(1, runFails(new GroupCommand.Purge(), "--http-port", port, "t0001", "nope"));
    }
  }

  @Test
  void anUnknownTopicIsOneSentenceAndExitOne() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new GroupsCommand()).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err));
    assertEquals(1, command.execute("--http-port", String.valueOf(httpPort), "nope"));
    assertEquals("courier groups: unknown_topic: no topic \"nope\"", err.toString().strip());
  }

  private static int runFails(Object command, String... args) {
    CommandLine line = new CommandLine(command).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(new StringWriter()));
    return line.execute(args);
  }

  private static String run(int exitCode, Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    assertEquals(exitCode, line.execute(args), err.toString());
    return out.toString();
  }
}
