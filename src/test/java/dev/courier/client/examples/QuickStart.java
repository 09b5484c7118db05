package dev.courier.client.examples;

import dev.courier.client.ClientOptions;
import dev.courier.client.CourierClient;
import dev.courier.client.Delivery;
import dev.courier.client.PullConsumer;
import dev.courier.client.SubscribeOptions;
import dev.courier.embedded.CourierBroker;
import java.time.Duration;

/** README's ten-line producer and consumer, run against an embedded broker. Run: its main. */
public final class QuickStart {
  private QuickStart() {
  }

  public static void main(String[] args) throws Exception {
    try (CourierBroker broker = CourierBroker.start(CourierBroker.memoryConfig())) {
      run(broker.port());
    }
  }

  static String run(int port) throws Exception {
    // docs:begin quickstart
    ClientOptions options = ClientOptions.builder().host("127.0.0.1").port(port).build();
    try (CourierClient client = CourierClient.connectAndWait(options)) {
      client.producer().publishAndWait("orders", "order 1");            // returns once stored

      PullConsumer consumer = client.pull("orders", "billing", SubscribeOptions.defaults()).await();
      Delivery delivery = consumer.receive(Duration.ofSeconds(5));    // null after 5 s of nothing
      System.out.println("got " + delivery.payload() + " attempt " + delivery.attempt());
      delivery.ack();
      return delivery.payload();
    }
    // docs:end quickstart
  }
}
