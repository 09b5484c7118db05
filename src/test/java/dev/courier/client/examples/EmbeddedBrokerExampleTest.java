package dev.courier.client.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.client.ClientOptions;
import dev.courier.client.CourierClient;
import dev.courier.client.PullConsumer;
import dev.courier.client.SubscribeOptions;
import dev.courier.embedded.CourierBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** docs/CLIENT.md's test with an embedded broker, and a run of each other example. */
class EmbeddedBrokerExampleTest {
  // docs:begin embedded-test
  @Test
  void anOrderPublishedIsReceivedByBilling() throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig());
        CourierClient client = CourierClient.connectAndWait(
            ClientOptions.builder().port(broker.port()).build())) {
      client.producer().publishAndWait("orders", "order 7");
      PullConsumer billing = client.pull("orders", "billing", SubscribeOptions.defaults()).await();
      assertEquals("order 7", billing.receive(Duration.ofSeconds(5)).payload());
    }
  }
  // docs:end embedded-test

  @Test
  void anEmbeddedBrokerListensOnNoFixedPortUnlessAsked() {
    // A fixed HTTP or STOMP port would clash with any other broker on the machine.
    for (var config : java.util.List.of(CourierBroker.memoryConfig(),
        CourierBroker.durableConfig(java.nio.file.Path.of("unused")))) {
      assertEquals(0, config.port());
      assertEquals(-1, config.httpPort());
      assertEquals(-1, config.stompPort());
    }
  }

  @Test
  void theQuickStartReceivesWhatItPublished() throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
      assertEquals("order 1", QuickStart.run(broker.port()));
    }
  }

  @Test
  void theWorkerAcksItsJob() throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
      assertTrue(WorkerExample.run(broker.port()));
    }
  }

  @Test
  void theFanOutGivesEveryGroupTheMessage() throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
      List<String> seen = FanOutExample.run(broker.port(), new LinkedBlockingQueue<>());
      assertTrue(seen.contains("audit 42.00"), seen.toString());
      assertEquals(1, seen.stream().filter(s -> s.startsWith("search")).count(), seen.toString());
    }
  }
}
