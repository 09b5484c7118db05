package dev.courier.client.examples;

import dev.courier.client.ClientOptions;
import dev.courier.client.CourierClient;
import dev.courier.client.PublishRequest;
import dev.courier.embedded.CourierBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** docs/CLIENT.md's fan-out: every group gets every message; inside a group consumers share them. */
public final class FanOutExample {
  private FanOutExample() {
  }

  public static void main(String[] args) throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
      System.out.println(run(broker.port(), new LinkedBlockingQueue<>()));
    }
  }

  /** The first two deliveries (one per group), or fewer if they do not come within 10 s each. */
  static List<String> run(int port, BlockingQueue<String> seen) throws Exception {
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
      List<String> arrived = new ArrayList<>();
      while (arrived.size() < 2) {
        String next = seen.poll(10, TimeUnit.SECONDS);
        if (next == null) {
          break; // the caller's assertions say what is missing
        }
        arrived.add(next);
      }
      return arrived;
    }
  }
}
