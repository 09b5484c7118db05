package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Heart-beats both ways, with a 100 ms interval so that a dead peer is noticed within a second. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompHeartBeatTest {
  private Vertx vertx;
  private StompBroker broker;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    broker = StompBroker.start(vertx, Map.of("stomp_heart_beat_ms", 100));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aPeerThatPromisedHeartBeatsAndFallsSilentGetsAnErrorAndIsClosed() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "", "accept-version:1.2", "host:localhost", "heart-beat:100,0");
      RawStomp.Received connected = client.receive();
      assertEquals("100,100", connected.header("heart-beat"));
      RawStomp.Received error = client.receive(); // nothing more is sent: the peer is silent
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("no heart-beat"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aPeerThatKeepsBeatingStaysConnectedAndTheBrokerBeatsToo() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "", "accept-version:1.2", "host:localhost", "heart-beat:100,100");
      client.receive();
      // Beat for more than twice the grace period; a closed connection would fail the receipt below.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
      int beatsHeard = 0;
      while (System.nanoTime() < until) {
        client.sendRaw("\n");
        beatsHeard += client.awaitHeartBeat(100) ? 1 : 0;
      }
      client.send("SEND", "alive", "destination:/queue/hb", "receipt:alive");
      assertEquals("alive", client.receive().header("receipt-id"));
      assertTrue(beatsHeard > 0, "the broker sent heart-beats");
    }
  }
}
