package dev.courier.client.examples;

import dev.courier.client.ClientOptions;
import dev.courier.client.CourierClient;
import dev.courier.client.PublishRequest;
import dev.courier.embedded.CourierBroker;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** docs/CLIENT.md's fan-out: every group gets every message; inside a group consumers share them. */
public final class FanOutExample {
  private FanOutExample() {
  }

  public static void main(String[] args) throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
      Queue<String> seen = new ConcurrentLinkedQueue<>();
      run(broker.port(), seen);
    }
  }

  static void run(int port, Queue<String> seen) throws Exception {
    try (CourierClient client = CourierClient.connectAndWait(ClientOptions.builder().port(port).build())) {
      // docs:begin fanout
      // Two groups: each gets every price; in "search" two consumers share them.
      client.subscribe("prices", "audit", d -> seen.add("audit " + d.payload())).await();
      client.subscribe("prices", "search", d -> seen.add("search-1 " + d.payload())).await();
      client.subscribe("prices", "search", d -> seen.add("search-2 " + d.payload())).await();

      client.producer().publish(PublishRequest.to("prices").payload("42.00")
          .key("SKU-1").header("currency", "EUR").build())
          .onSuccess(r -> System.out.println("stored"));
      // docs:end fanout
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5); // a poll with a deadline: the caller asserts what arrived
      }
    }
  }
}
