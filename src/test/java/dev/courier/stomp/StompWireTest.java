package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** STOMP frames on a raw socket, as transcripts: negotiation, escaping, bodies, errors, limits. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StompWireTest {
  private Vertx vertx;
  private StompBroker broker;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    broker = StompBroker.start(vertx, Map.of("max_frame_bytes", 4096, "stomp_max_headers", 10,
        "register_timeout_ms", 2_000));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void connectNegotiatesTheHighestSharedVersionAndNoHeartBeatWhenTheClientAsksNone() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("STOMP", "", "accept-version:1.0,1.1,1.2", "host:localhost", "heart-beat:0,0");
      RawStomp.Received connected = client.receive();
      assertEquals("CONNECTED", connected.command());
      assertEquals("1.2", connected.header("version"));
      assertEquals("Courier", connected.header("server"));
      assertTrue(connected.header("heart-beat").matches("\\d+,\\d+"), connected.toString());
    }
  }

  @Test
  void aClientWithoutAcceptVersionSpeaksStompOneZero() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "");
      assertEquals("1.0", client.receive().header("version"));
    }
  }

  @Test
  void noSharedVersionIsAnErrorListingTheVersionsSpokenThenAClose() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("CONNECT", "", "accept-version:2.0", "host:localhost");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertEquals("1.0,1.1,1.2", error.header("version"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aFrameBeforeConnectIsAnErrorWithItsReceiptIdThenAClose() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.send("SEND", "early", "destination:/queue/a", "receipt:r-1");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertEquals("r-1", error.header("receipt-id"));
      assertTrue(error.header("message").contains("CONNECT"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void escapedHeadersAndABinaryBodyWithNulBytesRoundTripExactly() throws Exception {
    byte[] body = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0, 10, 13, 0};
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SUBSCRIBE", "", "id:s", "destination:/queue/bin", "receipt:sub");
      assertEquals("sub", client.receive().header("receipt-id"));
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.writeBytes(("SEND\ndestination:/queue/bin\ncontent-type:application/octet-stream\n"
          + "note:a\\cb\\nc\\\\d\ncontent-length:" + body.length + "\nreceipt:sent\n\n").getBytes(StandardCharsets.UTF_8));
      frame.writeBytes(body);
      frame.write(0);
      client.sendRaw(frame.toByteArray());
      // In memory storage the message may reach the subscriber before its sender gets the RECEIPT.
      RawStomp.Received first = client.receive();
      RawStomp.Received second = client.receive();
      RawStomp.Received receipt = first.command().equals("RECEIPT") ? first : second;
      RawStomp.Received message = first.command().equals("RECEIPT") ? second : first;
      assertEquals("sent", receipt.header("receipt-id"));
      assertEquals("MESSAGE", message.command());
      assertArrayEquals(body, message.body());
      assertEquals("application/octet-stream", message.header("content-type"));
      assertEquals("a\\cb\\nc\\\\d", message.header("note"), "the header comes back escaped as it went");
      assertEquals("s", message.header("subscription"));
      assertEquals("/queue/bin", message.header("destination"));
      assertEquals("1", message.header("courier-attempt"));
    }
  }

  @Test
  void aBodyAboveMaxFrameBytesIsAnErrorAndAClose() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "x".repeat(5000), "destination:/queue/big", "receipt:big");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("Body size exceeded"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aBinaryBodyThatAsBase64PassesMaxFrameBytesIsAnError() throws Exception {
    byte[] body = new byte[3500]; // 4,668 characters as base64: over 4096, though the body is not
    java.util.Arrays.fill(body, (byte) 0xff);
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.writeBytes(("SEND\ndestination:/queue/bin\ncontent-length:" + body.length + "\nreceipt:b\n\n")
          .getBytes(StandardCharsets.UTF_8));
      frame.writeBytes(body);
      frame.write(0);
      client.sendRaw(frame.toByteArray());
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertEquals("b", error.header("receipt-id"));
      assertTrue(error.header("message").contains("base64"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aHeaderLineThatNeverEndsIsCutAtTheFrameLimit() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.sendRaw("SEND\ndestination:/queue/a\nx:" + "y".repeat(300_000));
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void moreHeadersThanStompMaxHeadersIsAnErrorAndAClose() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      String[] headers = new String[12];
      for (int i = 0; i < headers.length; i++) {
        headers[i] = "h" + i + ":v";
      }
      client.send("SEND", "x", headers);
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("Number of headers exceeded"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aHeaderLongerThanStompMaxHeaderBytesIsAnErrorAndAClose() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "x", "destination:/queue/a", "long:" + "v".repeat(9_000));
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("Header length exceeded"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aContentLengthThatIsNoNumberIsAnErrorAndTheBrokerServesOthers() throws Exception {
    try (RawStomp bad = new RawStomp(broker.stompPort); RawStomp good = new RawStomp(broker.stompPort)) {
      bad.connect();
      bad.send("SEND", "x", "destination:/queue/a", "content-length:many");
      assertEquals("ERROR", bad.receive().command());
      assertTrue(bad.isClosedByPeer());
      good.connect();
      good.send("SEND", "fine", "destination:/queue/a", "receipt:ok");
      assertEquals("ok", good.receive().header("receipt-id"));
    }
  }

  @Test
  void anUnknownCommandOrDestinationIsAnError() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("PUBLISH", "x", "destination:/queue/a");
      assertEquals("ERROR", client.receive().command());
      assertTrue(client.isClosedByPeer());
    }
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "x", "destination:/queue/../etc", "receipt:r");
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertEquals("r", error.header("receipt-id"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void noConnectWithinRegisterTimeoutIsAnErrorAndAClose() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      RawStomp.Received error = client.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("no CONNECT"), error.header("message"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void disconnectGetsItsReceiptAfterEveryEarlierOneThenTheBrokerCloses() throws Exception {
    try (RawStomp client = new RawStomp(broker.stompPort)) {
      client.connect();
      client.send("SEND", "one", "destination:/queue/d", "receipt:s1");
      client.send("SEND", "two", "destination:/queue/d", "receipt:s2");
      client.send("DISCONNECT", "", "receipt:bye");
      assertEquals("s1", client.receive().header("receipt-id"));
      assertEquals("s2", client.receive().header("receipt-id"));
      assertEquals("bye", client.receive().header("receipt-id"));
      assertTrue(client.isClosedByPeer());
    }
  }

  @Test
  void aConnectionPastMaxConnectionsGetsAnErrorAndTheOthersStay() throws Exception {
    StompBroker small = StompBroker.start(vertx, Map.of("max_connections", 1));
    try (RawStomp first = new RawStomp(small.stompPort); RawStomp second = new RawStomp(small.stompPort)) {
      first.connect();
      RawStomp.Received error = second.receive();
      assertEquals("ERROR", error.command());
      assertTrue(error.header("message").contains("max_connections"), error.header("message"));
      assertTrue(second.isClosedByPeer());
      first.send("SEND", "still here", "destination:/queue/a", "receipt:r");
      assertEquals("r", first.receive().header("receipt-id"));
    }
  }
}
