package dev.courier.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.courier.core.Message;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.stomp.Command;
import io.vertx.ext.stomp.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listener's plain parts, without sockets: negotiation, reply order, ack ranges, transactions, bodies. */
class StompPartsTest {

  @Test
  void versionNegotiationPicksTheHighestSharedVersionAndOneZeroWithoutAHeader() {
    assertEquals("1.2", StompVersions.negotiate("1.0,1.1,1.2"));
    assertEquals("1.1", StompVersions.negotiate("1.1, 1.0"));
    assertEquals("1.0", StompVersions.negotiate(null));
    assertNull(StompVersions.negotiate("2.0,1"));
  }

  @Test
  void repliesLeaveInTheOrderOfTheirFramesThoughALaterOneIsAnsweredFirst() {
    List<String> written = new ArrayList<>();
    OrderedReplies replies = new OrderedReplies(frame -> written.add(frame.getHeader(Frame.RECEIPT_ID)));
    OrderedReplies.Slot send = replies.reserve();
    replies.answer(null, receipt("subscribe"));
    List<String> afterAll = new ArrayList<>();
    replies.then(() -> afterAll.add("closed"));
    assertEquals(List.of(), written, "nothing overtakes the SEND still being stored");
    replies.answer(send, receipt("send"));
    assertEquals(List.of("send", "subscribe"), written);
    assertEquals(List.of("closed"), afterAll);
    assertEquals(0, replies.size());
  }

  @Test
  void ackModeClientCoversEveryEarlierDeliveryAndClientIndividualOnlyTheOneNamed() {
    StompSubscription client = subscription(StompSubscription.AckMode.CLIENT);
    StompSubscription individual = subscription(StompSubscription.AckMode.CLIENT_INDIVIDUAL);
    for (long id = 1; id <= 3; id++) {
      client.deliver(message(id), 1);
      individual.deliver(message(id), 1);
    }
    client.deliver(message(1), 2); // a redelivery is the newest delivery
    assertEquals(List.of(2L, 3L), client.take(3));
    assertEquals(List.of(1L), client.take(1));
    assertEquals(List.of(2L), individual.take(2));
    assertEquals(List.of(3L), individual.take(3));
  }

  @Test
  void aTransactionHoldsItsFramesInOrderWithinItsLimits() {
    StompTransactions transactions = new StompTransactions(2, 1, 10);
    assertNull(transactions.begin("t"));
    assertNotNull(transactions.begin("t"), "begun twice");
    assertNotNull(transactions.begin("u"), "one open transaction at most");
    assertNotNull(transactions.hold("v", send("x")), "no such transaction");
    assertNull(transactions.hold("t", send("12345")));
    assertNotNull(transactions.hold("t", send("123456")), "past the body bytes");
    assertNull(transactions.hold("t", send("6")));
    assertNotNull(transactions.hold("t", send("7")), "past the frames");
    List<Frame> held = transactions.abort("t");
    assertEquals(List.of("12345", "6"), List.of(held.get(0).getBodyAsString(), held.get(1).getBodyAsString()));
    assertNull(transactions.abort("t"));
    assertNull(transactions.begin("u"), "room again once it ended");
  }

  @Test
  void aUtf8BodyIsKeptAsTextAndAnyOtherAsBase64AndBothComeBackAsTheSameBytes() {
    byte[] binary = {(byte) 0xc3, 0x28, 0};
    StompBodies.Payload text = StompBodies.payload(Buffer.buffer("héllo\0"));
    StompBodies.Payload encoded = StompBodies.payload(Buffer.buffer(binary));
    assertEquals(new StompBodies.Payload("héllo\0", false), text);
    assertEquals(new StompBodies.Payload("wygA", true), encoded);
    assertEquals(Buffer.buffer(binary), StompBodies.body(new Message(1, "t", "wygA", null, null, true, 0)));
  }

  private static StompSubscription subscription(StompSubscription.AckMode mode) {
    return new StompSubscription("s", 1, "/queue/q", mode, "test", new StompSubscription.Deliveries() {
      @Override
      public boolean canWrite() {
        return true;
      }

      @Override
      public void write(StompSubscription subscription, Message message, int attempt) {
      }
    });
  }

  private static Message message(long id) {
    return new Message(id, "q", "m" + id, null, null, false, 0);
  }

  private static Frame receipt(String id) {
    Map<String, String> headers = new HashMap<>();
    headers.put(Frame.RECEIPT_ID, id);
    return new Frame(Command.RECEIPT, headers, null);
  }

  private static Frame send(String body) {
    return new Frame(Command.SEND, new HashMap<>(), Buffer.buffer(body));
  }
}
