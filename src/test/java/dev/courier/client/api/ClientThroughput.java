package dev.courier.client.api;

import dev.courier.client.ClientOptions;
import dev.courier.client.CourierClient;
import dev.courier.client.Producer;
import dev.courier.client.PublishRequest;
import dev.courier.embedded.CourierBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client-side throughput through the public API (a measurement, not a test). Two modes, so that
 * broker and clients run in separate JVMs:
 * {@code broker} starts a durable embedded broker in a temp dir and prints its port;
 * {@code run PORT PRODUCERS CONSUMERS SIZE SECONDS} publishes SIZE-byte messages to one topic,
 * one client per producer and per consumer (one group, auto-ack), and prints msg/s after a warm-up.
 */
public final class ClientThroughput {
  private ClientThroughput() {
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("broker")) {
      Path dir = Files.createTempDirectory("courier-throughput");
      CourierBroker broker = CourierBroker.start(CourierBroker.durableConfig(dir));
      System.out.println("port " + broker.port());
      new CountDownLatch(1).await();
    }
    int port = Integer.parseInt(args[1]);
    int producers = Integer.parseInt(args[2]);
    int consumers = Integer.parseInt(args[3]);
    String payload = "x".repeat(Integer.parseInt(args[4]));
    int seconds = Integer.parseInt(args[5]);
    String topic = "tp" + System.nanoTime();
    LongAdder confirmed = new LongAdder();
    LongAdder received = new LongAdder();
    List<CourierClient> clients = new ArrayList<>();
    ClientOptions options = ClientOptions.builder().port(port).build();
    for (int i = 0; i < consumers; i++) {
      CourierClient c = CourierClient.connectAndWait(options);
      clients.add(c);
      c.subscribe(topic, "g", d -> received.increment()).await();
    }
    boolean[] running = {true};
    PublishRequest request = PublishRequest.to(topic).payload(payload).build();
    for (int i = 0; i < producers; i++) {
      CourierClient c = CourierClient.connectAndWait(options);
      clients.add(c);
      Producer p = c.producer();
      for (int w = 0; w < options.maxUnconfirmed(); w++) {
        keepPublishing(p, request, confirmed, running);
      }
    }
    long warmupEnd = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmupEnd) {
      Thread.sleep(100);
    }
    long c0 = confirmed.sum();
    long r0 = received.sum();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%dP/%dC %d B: published %.0f msg/s, consumed %.0f msg/s over %.1f s%n", producers, consumers,
        payload.length(), (confirmed.sum() - c0) / elapsed, (received.sum() - r0) / elapsed, elapsed);
    running[0] = false;
    clients.forEach(CourierClient::close);
  }

  /** One slot of the window: each confirmation sends the next publish. */
  private static void keepPublishing(Producer p, PublishRequest request, LongAdder confirmed, boolean[] running) {
    p.publish(request).onComplete(ar -> {
      if (ar.succeeded()) {
        confirmed.increment();
      }
      if (running[0] && ar.succeeded()) {
        keepPublishing(p, request, confirmed, running);
      }
    });
  }
}
