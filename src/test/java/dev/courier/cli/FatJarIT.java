package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar started as real processes: each role, signals and exit codes, launch by verticle name. */
@Timeout(120)
class FatJarIT {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private String dataDirSetting() {
    return "data_dir=" + dataDir;
  }

  @Test
  void producerAndConsumerRolesWorkAgainstTheBrokerRole() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", dataDirSetting())) {
      int port = broker.awaitListeningPort(START);

      try (CourierProcess producer = CourierProcess.role("producer", "--port", String.valueOf(port))) {
        assertEquals(0, producer.awaitExit(START), producer.output());
        assertTrue(producer.output().contains("sent 5, confirmed 5, errors 0"), producer.output());
      }
      try (CourierProcess consumer = CourierProcess.role("consumer", "--port", String.valueOf(port), "--count", "5")) {
        assertEquals(0, consumer.awaitExit(START), consumer.output());
        String output = consumer.output();
        int previous = -1;
        for (int i = 0; i < 5; i++) {
          int at = output.indexOf("message id=" + (i + 1) + ": task-" + i);
          assertTrue(at > previous, "task-" + i + " missing or out of order:\n" + output);
          previous = at;
        }
        assertTrue(output.contains("received 5 (0 redelivered), acked 5"), output);
      }
    }
  }

  @Test
  void brokerDrainsAndExitsZeroOnSigterm() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", "drain_timeout_ms=2000",
        "--set", dataDirSetting())) {
      broker.awaitListeningPort(START);
      broker.terminate();
      assertEquals(0, broker.awaitExit(START), broker.output());
      assertTrue(broker.output().contains("Courier broker stopped"), broker.output());
    }
  }

  @Test
  void brokerRejectsAnUnknownSettingWithExitCodeTwo() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--set", "ack_timeout=5")) {
      assertEquals(2, broker.awaitExit(START), broker.output());
      assertTrue(broker.output().contains("unknown setting \"ack_timeout\""), broker.output());
    }
  }

  @Test
  void everyRoleHasHelp() throws Exception {
    for (String role : List.of("broker", "producer", "consumer")) {
      try (CourierProcess help = CourierProcess.role(role, "--help")) {
        assertEquals(0, help.awaitExit(START), help.output());
        assertTrue(help.output().contains("--port"), role + " help lacks --port:\n" + help.output());
      }
    }
  }

  @Test
  void brokerVerticleLaunchedByNameServesSeedClients() throws Exception {
    try (CourierProcess broker = CourierProcess.verticle("dev.courier.server.BrokerVerticle",
        "{\"port\":0,\"data_dir\":\"" + dataDir + "\"}")) {
      int port = broker.awaitListeningPort(START);
      try (Socket producer = new Socket("127.0.0.1", port); Socket consumer = new Socket("127.0.0.1", port)) {
        RawFrames.send(producer, "{\"type\":\"register\",\"role\":\"producer\"}");
        RawFrames.send(producer, "{\"type\":\"publish\",\"payload\":\"by-name\"}");
        assertEquals("{\"type\":\"ok\"}", RawFrames.receive(producer));
        RawFrames.send(consumer, "{\"type\":\"register\",\"role\":\"consumer\"}");
        assertEquals("{\"type\":\"message\",\"id\":1,\"payload\":\"by-name\"}", RawFrames.receive(consumer));
      }
    }
  }

  @Test
  void clientVerticlesLaunchedByNameRunAndExit() throws Exception {
    try (CourierProcess broker = CourierProcess.role("broker", "--port", "0", "--set", dataDirSetting())) {
      int port = broker.awaitListeningPort(START);
      try (CourierProcess producer = CourierProcess.verticle("dev.courier.client.ProducerVerticle",
          "{\"port\":" + port + ",\"messages\":[\"a\",\"b\"]}")) {
        producer.awaitLine(Pattern.compile("producer done: sent 2, confirmed 2, errors 0"), START);
        producer.awaitExit(START);
      }
      try (CourierProcess consumer = CourierProcess.verticle("dev.courier.client.ConsumerVerticle",
          "{\"port\":" + port + ",\"count\":2}")) {
        consumer.awaitLine(Pattern.compile("message id=1: a"), START);
        consumer.awaitLine(Pattern.compile("message id=2: b"), START);
        consumer.awaitLine(Pattern.compile("consumer done: received 2 \\(0 redelivered\\), acked 2"), START);
        consumer.awaitExit(START);
      }
    }
  }
}
