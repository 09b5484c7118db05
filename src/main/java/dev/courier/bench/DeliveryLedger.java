package dev.courier.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often each sequence number was received, shared by all consumers of a run (they run on
 * different event loops, hence the atomics). Lost = never received; duplicated = receptions
 * beyond the first, summed over all sequence numbers.
 */
public final class DeliveryLedger {
  private final AtomicIntegerArray receptions;
  private final AtomicInteger distinct = new AtomicInteger();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong foreign = new AtomicLong();
  private final AtomicLong lastReceptionNanos = new AtomicLong();
  private final CompletableFuture<Long> allReceived = new CompletableFuture<>();

  public DeliveryLedger(int count) {
    receptions = new AtomicIntegerArray(count);
  }

  /** Records one reception; completes {@link #allReceived()} on the first reception of the last one. */
  public void record(int sequence, long nowNanos) {
    lastReceptionNanos.set(nowNanos);
    total.incrementAndGet();
    if (sequence < 0 || sequence >= receptions.length()) {
      foreign.incrementAndGet();
      return;
    }
    if (receptions.getAndIncrement(sequence) == 0 && distinct.incrementAndGet() == receptions.length()) {
      allReceived.complete(nowNanos);
    }
  }

  /** Completes with the time every sequence number had been received at least once. */
  public CompletableFuture<Long> allReceived() {
    return allReceived;
  }

  public int distinct() {
    return distinct.get();
  }

  public long receptions() {
    return total.get();
  }

  /** Messages whose payload was not one of this run's (another client's, or corrupted). */
  public long foreign() {
    return foreign.get();
  }

  public long lastReceptionNanos() {
    return lastReceptionNanos.get();
  }

  public long lost() {
    return receptions.length() - distinct.get();
  }

  public long duplicated() {
    long extra = 0;
    for (int i = 0; i < receptions.length(); i++) {
      extra += Math.max(0, receptions.get(i) - 1);
    }
    return extra;
  }
}
