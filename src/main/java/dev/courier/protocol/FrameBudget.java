package dev.courier.protocol;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The bytes that every connection of one broker may hold between a frame's length prefix and the
 * end of its body ({@code max_buffered_frame_bytes}), and the time a body may take once begun
 * ({@code frame_timeout_ms}). Without it, thousands of connections that each announce a large
 * frame and never finish it hold gigabytes.
 *
 * <p>A claimant (one connection's decoder) asks for the announced length. If it fits and nobody
 * waits, it holds it at once; otherwise it waits, first come first served, and reads nothing
 * while it waits, so waiting costs no memory and starts no deadline. A claim ends with
 * {@link #release} (body complete, connection closed) or, past the deadline, with
 * {@link Claimant#timedOut}. Since every claim gets the same timeout, claims in grant order are in
 * deadline order: {@link #expire} stops at the first that is still in time.
 *
 * <p>Single-threaded: the broker's event loop only, like every other connection structure.
 */
public final class FrameBudget {

  /** One connection's side of a claim; each holds or waits for at most one at a time. */
  public interface Claimant {
    /** The budget now covers the claim that had to wait: reading may go on. */
    void granted();

    /** The claim was held past the deadline and is given back; the connection must go. */
    void timedOut(long heldNanos);
  }

  private record Held(int bytes, long grantedAtNanos) {}

  private final long capacityBytes;
  private final long timeoutNanos;
  private final LongSupplier nanoClock;
  private final Map<Claimant, Integer> waiting = new LinkedHashMap<>();
  private final Map<Claimant, Held> holding = new LinkedHashMap<>();
  private long reservedBytes;
  private boolean granting;

  public FrameBudget(long capacityBytes, long timeoutNanos, LongSupplier nanoClock) {
    if (capacityBytes < 1 || timeoutNanos < 1) {
      throw new IllegalArgumentException("capacity and timeout must be positive");
    }
    this.capacityBytes = capacityBytes;
    this.timeoutNanos = timeoutNanos;
    this.nanoClock = nanoClock;
  }

  /** A budget nothing exhausts and no deadline ends: for decoders outside a broker. */
  public static FrameBudget unlimited() {
    return new FrameBudget(Long.MAX_VALUE, Long.MAX_VALUE, System::nanoTime);
  }

  /**
   * Asks for {@code bytes}: true when they are held now; false when the claimant waits and will
   * be told by {@link Claimant#granted}. New claims queue behind waiting ones even when they
   * would fit, so a large frame is not starved by a stream of small ones.
   */
  public boolean reserve(Claimant claimant, int bytes) {
    if (bytes < 1 || bytes > capacityBytes) {
      throw new IllegalArgumentException("cannot reserve " + bytes + " of a budget of " + capacityBytes + " bytes");
    }
    if (waiting.containsKey(claimant) || holding.containsKey(claimant)) {
      throw new IllegalStateException("a claimant holds or waits for one claim at a time");
    }
    if (waiting.isEmpty() && reservedBytes + bytes <= capacityBytes) {
      hold(claimant, bytes);
      return true;
    }
    waiting.put(claimant, bytes);
    return false;
  }

  /** Gives back what {@code claimant} holds, or takes it out of the queue; a no-op otherwise. */
  public void release(Claimant claimant) {
    Held held = holding.remove(claimant);
    if (held != null) {
      reservedBytes -= held.bytes();
      grantWaiting();
    } else if (waiting.remove(claimant) != null) {
      // The head may have been what kept smaller claims behind it waiting.
      grantWaiting();
    }
  }

  /** Ends every claim held past the deadline, then lets waiting claims in. */
  public void expire() {
    long now = nanoClock.getAsLong();
    List<Claimant> late = new ArrayList<>();
    List<Long> heldFor = new ArrayList<>();
    Iterator<Map.Entry<Claimant, Held>> it = holding.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Claimant, Held> entry = it.next();
      long held = now - entry.getValue().grantedAtNanos();
      if (held < timeoutNanos) {
        break;
      }
      it.remove();
      reservedBytes -= entry.getValue().bytes();
      late.add(entry.getKey());
      heldFor.add(held);
    }
    // Callbacks after the bookkeeping: they may release or reserve again.
    for (int i = 0; i < late.size(); i++) {
      late.get(i).timedOut(heldFor.get(i));
    }
    grantWaiting();
  }

  public long reservedBytes() {
    return reservedBytes;
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  public int holders() {
    return holding.size();
  }

  public int waiters() {
    return waiting.size();
  }

  private void hold(Claimant claimant, int bytes) {
    reservedBytes += bytes;
    holding.put(claimant, new Held(bytes, nanoClock.getAsLong()));
  }

  /** Grants queued claims in order while they fit; a granted one may release at once, hence the loop guard. */
  private void grantWaiting() {
    if (granting) {
      return;
    }
    granting = true;
    try {
      while (!waiting.isEmpty()) {
        Map.Entry<Claimant, Integer> head = waiting.entrySet().iterator().next();
        Claimant next = head.getKey();
        int bytes = head.getValue();
        if (reservedBytes + bytes > capacityBytes) {
          return;
        }
        waiting.remove(next);
        hold(next, bytes);
        next.granted();
      }
    } finally {
      granting = false;
    }
  }
}
