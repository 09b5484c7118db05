package dev.courier.bench.micro;

import dev.courier.core.AckResult;
import dev.courier.core.Broker;
import dev.courier.core.Clock;
import dev.courier.core.Consumer;
import dev.courier.core.DeliveryPolicy;
import dev.courier.core.Message;
import dev.courier.core.Publication;
import dev.courier.core.PublishListener;
import dev.courier.core.PublishRefusal;
import dev.courier.core.Publisher;
import dev.courier.core.Subscription;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The core's dispatch path without sockets: publish a message, which is delivered at once to a
 * fake consumer, then ack it. Nothing accumulates, so every invocation does the same work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {
  private static final String PAYLOAD = "x".repeat(100);

  private Broker broker;
  private Subscription subscription;
  private Publisher publisher;
  private final LastDelivery consumer = new LastDelivery();

  /** Takes everything and remembers the last delivered id, so the benchmark can ack it. */
  static final class LastDelivery implements Consumer {
    long lastId;

    @Override
    public boolean canAccept() {
      return true;
    }

    @Override
    public void deliver(Message message, int attempt) {
      lastId = message.id();
    }

    @Override
    public String name() {
      return "bench";
    }
  }

  /** Time stands still: deadlines never pass, and reading the clock costs nothing. */
  static final class FixedClock implements Clock {
    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public long wallMillis() {
      return 0;
    }
  }

  @Setup
  public void setUp() {
    broker = new Broker(new DeliveryPolicy(TimeUnit.SECONDS.toNanos(5), 256), new FixedClock());
    subscription = broker.subscribe(consumer);
    publisher = broker.publisher(new PublishListener() {
      @Override
      public void stored(Message message) {
      }

      @Override
      public void refused(Publication publication, PublishRefusal refusal, String detail) {
        throw new IllegalStateException("refused: " + refusal + " " + detail);
      }
    });
  }

  @Benchmark
  public AckResult publishAndAck() {
    broker.publish(publisher, Publication.of(null, PAYLOAD));
    return broker.ack(subscription, consumer.lastId);
  }
}
