package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.stomp.Frame;
import io.vertx.ext.stomp.StompClientConnection;
import java.util.Base64;
import java.util.HashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both protocols on one broker: each side's messages reach the other side's consumers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompMixedTrafficTest {
  private Vertx vertx;
  private StompBroker broker;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    broker = StompBroker.start(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aStompSendToQueueDefaultReachesASeedConsumer() throws Exception {
    try (SeedSocket consumer = new SeedSocket(broker.port)) {
      consumer.send("{\"type\":\"register\",\"role\":\"consumer\"}");
      StompClientConnection stomp = broker.client();
      stomp.send("/queue/default", Buffer.buffer("from stomp")).await();
      assertEquals("{\"type\":\"message\",\"id\":1,\"payload\":\"from stomp\"}", consumer.receive());
    }
  }

  @Test
  void aSeedPublishReachesAStompSubscriberOfQueueDefault() throws Exception {
    StompClientConnection stomp = broker.client();
    BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    stomp.subscribe("/queue/default", new HashMap<>(), received::add).await();
    try (SeedSocket producer = new SeedSocket(broker.port)) {
      producer.send("{\"type\":\"register\",\"role\":\"producer\"}");
      producer.send("{\"type\":\"publish\",\"payload\":\"from seed\"}");
      assertEquals("{\"type\":\"ok\"}", producer.receive());
    }
    Frame message = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(message);
    assertEquals("from seed", message.getBodyAsString());
    assertEquals("1", message.getHeader("courier-id"));
  }

  @Test
  void aBinaryStompBodyReachesACourierConsumerAsBase64AndABase64PublishReachesStompAsBytes() throws Exception {
    byte[] bytes = {(byte) 0xc3, 0x28, 0, (byte) 0xff}; // not UTF-8
    try (SeedSocket consumer = new SeedSocket(broker.port)) {
      consumer.send("{\"type\":\"register\",\"role\":\"consumer\",\"topic\":\"bin\"}");
      StompClientConnection stomp = broker.client();
      stomp.send("/queue/bin", Buffer.buffer(bytes)).await();
      String message = consumer.receive();
      assertTrue(message.contains("\"payload\":\"" + Base64.getEncoder().encodeToString(bytes) + "\""), message);
      assertTrue(message.contains("\"encoding\":\"base64\""), message);
    }
    StompClientConnection stomp = broker.client();
    BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    stomp.subscribe("/queue/bytes", new HashMap<>(), received::add).await();
    try (SeedSocket producer = new SeedSocket(broker.port)) {
      producer.send("{\"type\":\"register\",\"role\":\"producer\",\"topic\":\"bytes\"}");
      producer.send("{\"type\":\"publish\",\"payload\":\"" + Base64.getEncoder().encodeToString(bytes)
          + "\",\"encoding\":\"base64\",\"headers\":{\"trace\":\"t-1\"}}");
      assertEquals("{\"type\":\"ok\"}", producer.receive());
    }
    Frame message = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(message);
    assertArrayEquals(bytes, message.getBody().getBytes());
    assertEquals("t-1", message.getHeader("trace"));
  }
}
