package dev.courier.client;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameException;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the client does per message of a 100 B run, on each side of its codec: a producer encodes a
 * publish and reads an ok, a consumer reads a message and encodes an ack. Each pair compares the
 * client's plain path ({@link PlainFrames}, {@link InboundFrames}) with the codec it replaced
 * ({@link FrameCodec}, Jackson). Run with {@code -prof gc} for the bytes allocated per operation.
 * In package {@code dev.courier.client} to reach the package-private plain paths.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClientCodecBenchmark {
  private Frame.Publish publish;
  private Frame.Ack ack;
  private byte[] okFrame;
  private Buffer okBody;
  private byte[] messageFrame;
  private Buffer messageBody;

  @Setup
  public void setUp() {
    // As the bench sends them: a payload of 100 bytes, to a topic of the run's own.
    publish = new Frame.Publish("17:8234519077123:" + "x".repeat(83), "bench-1a2b3c-4d5e6f", null, null, null, null,
        null, null, null);
    ack = new Frame.Ack(123_456_789L);
    okFrame = FrameCodec.encode(Frame.Ok.INSTANCE).getBytes();
    okBody = Buffer.buffer(okFrame).getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, okFrame.length);
    messageFrame = FrameCodec.encode(new Frame.Message(123_456_789L, publish.payload(),
        new Frame.MessageDetails(publish.topic(), 1, 1_763_780_000_000L, null, null, null))).getBytes();
    messageBody = Buffer.buffer(messageFrame).getBuffer(FrameCodec.LENGTH_PREFIX_BYTES, messageFrame.length);
  }

  @Benchmark
  public Buffer encodePublishPlain() {
    return PlainFrames.encode(publish);
  }

  @Benchmark
  public Buffer encodePublishJackson() {
    return FrameCodec.encode(publish);
  }

  @Benchmark
  public Buffer encodeAckPlain() {
    return PlainFrames.encode(ack);
  }

  @Benchmark
  public Buffer encodeAckJackson() {
    return FrameCodec.encode(ack);
  }

  @Benchmark
  public Frame decodeOkPlain() {
    return InboundFrames.fast(okFrame, FrameCodec.LENGTH_PREFIX_BYTES, okFrame.length);
  }

  @Benchmark
  public Frame decodeOkJackson() throws FrameException {
    return FrameCodec.decode(okBody);
  }

  @Benchmark
  public Frame decodeMessagePlain() {
    return InboundFrames.fast(messageFrame, FrameCodec.LENGTH_PREFIX_BYTES, messageFrame.length);
  }

  @Benchmark
  public Frame decodeMessageJackson() throws FrameException {
    return FrameCodec.decode(messageBody);
  }
}
