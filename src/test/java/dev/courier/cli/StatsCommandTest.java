package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.config.BrokerConfig;
import dev.courier.server.BrokerVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code courier stats} against an in-process broker whose topics need many reply pages. */
@Timeout(60)
class StatsCommandTest {
  private static final int TOPICS = 500;
  private static final List<String> NAMES = IntStream.range(0, TOPICS).mapToObj(i -> String.format("topic-%03d", i)).toList();

  private Vertx vertx;
  private int port;

  @BeforeEach
  void startBroker() {
    vertx = Vertx.vertx();
    // 2 KiB frames hold about fifteen topics each: the command must follow some thirty pages.
    BrokerVerticle broker = new BrokerVerticle(BrokerConfig.defaults().with(Map.of("host", "127.0.0.1", "port", 0,
        "stomp_port", -1, "http_port", -1, "storage", "memory", "drain_timeout_ms", 0, "max_frame_bytes", 2048, "topics", String.join(",", NAMES))));
    vertx.deployVerticle(broker).await();
    port = broker.actualPort();
  }

  @AfterEach
  void stopBroker() {
    vertx.close().await();
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new StatsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    assertEquals(0, command.execute(args), err.toString());
    return out.toString();
  }

  @Test
  void theTablePrintsEveryTopicOnceAcrossAllPages() {
    String table = run("--port", String.valueOf(port));
    for (String name : NAMES) {
      assertTrue(table.contains("\n" + name + " "), name + " missing from\n" + table);
    }
    assertEquals(TOPICS + 2, table.split("\n").length, "the totals line, the header and one row per topic");
  }

  @Test
  void theJsonIsOneSnapshotWithEveryTopicInNameOrderAndNoCursor() {
    JsonObject snapshot = new JsonObject(run("--port", String.valueOf(port), "--json"));
    JsonArray topics = snapshot.getJsonArray("topics");
    assertEquals(NAMES, topics.stream().map(t -> ((JsonObject) t).getString("name")).toList());
    assertEquals(List.of("broker", "topics", "connections"), List.copyOf(snapshot.fieldNames()));
  }
}
