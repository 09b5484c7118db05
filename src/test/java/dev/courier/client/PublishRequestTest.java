package dev.courier.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.courier.protocol.FrameCodec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The publish frames the builder makes, as the wire sees them. */
class PublishRequestTest {
  private static String wire(PublishRequest request) throws Exception {
    var buffer = FrameCodec.encode(request.frame());
    return buffer.getString(4, buffer.length());
  }

  @Test
  void aTextPublishIsTheSeedsFrameWithItsTopic() throws Exception {
    assertEquals("{\"type\":\"publish\",\"payload\":\"hi\",\"topic\":\"t\"}",
        wire(PublishRequest.to("t").payload("hi").build()));
  }

  @Test
  void binaryPayloadsTravelAsBase64AndLifeCycleFieldsAreNamedAsOnTheWire() throws Exception {
    String json = wire(PublishRequest.to("t").payload(new byte[] {1, 2, 3}).key("k").header("h", "v")
        .delay(Duration.ofSeconds(2)).ttl(Duration.ofMinutes(1)).dedupId("d-1").build());
    assertEquals("{\"type\":\"publish\",\"payload\":\"AQID\",\"topic\":\"t\",\"key\":\"k\",\"headers\":{\"h\":\"v\"},"
        + "\"encoding\":\"base64\",\"delay_ms\":2000,\"ttl_ms\":60000,\"dedup_id\":\"d-1\"}", json);
  }

  @Test
  void deliverAtReplacesADelay() throws Exception {
    String json = wire(PublishRequest.to("t").payload("x").delay(Duration.ofSeconds(1))
        .deliverAt(Instant.ofEpochMilli(5_000)).build());
    assertEquals("{\"type\":\"publish\",\"payload\":\"x\",\"topic\":\"t\",\"deliver_at\":5000}", json);
  }

  @Test
  void outOfRangeValuesAreRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> PublishRequest.to("t").delay(Duration.ofDays(400)));
    assertThrows(IllegalArgumentException.class, () -> PublishRequest.to("t").dedupId("x".repeat(129)));
    assertThrows(IllegalArgumentException.class, () -> PublishRequest.to("t").build());
  }
}
