package dev.courier.bench.micro;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameException;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The codec on the broker's hot path: encoding each delivery, decoding each publish. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
  /** The bench scenarios' payload sizes: 100 B (S1, S2, S4) and 16 KiB (S3). */
  @Param({"100", "16384"})
  int payloadBytes;

  private Frame.Message message;
  private Buffer publishBody;

  @Setup
  public void setUp() {
    String payload = "x".repeat(payloadBytes);
    message = new Frame.Message(123_456_789L, payload);
    Buffer publish = FrameCodec.encode(new Frame.Publish(payload));
    publishBody = publish.getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, publish.length());
  }

  @Benchmark
  public Buffer encodeMessage() {
    return FrameCodec.encode(message);
  }

  @Benchmark
  public Frame decodePublish() throws FrameException {
    return FrameCodec.decode(publishBody);
  }
}
