package dev.courier.protocol;

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
 * while it waits, so waiting costs no memory. The deadline runs from the request, waiting or
 * not: a frame has begun once its prefix arrived, and a wait that did not count would let
 * thousands of hostile claims queued behind the budget hold a later honest frame back for their
 * deadlines one after another (measured: 2,000 of them, 64 at a time, for some 8 minutes). A
 * claim ends with {@link #release} (body complete, connection closed) or, past the deadline, with
 * {@link Claimant#timedOut}. Every claim gets the same timeout, and both queues keep request
 * order (a claim is held at once only while nobody waits), so {@link #expire} stops at the first
 * claim of each that is still in time.
 *
 * <p>Single-threaded: the broker's event loop only, like every other connection structure.
 */
public final class FrameBudget {

  /** One connection's side of a claim; each holds or waits for at most one at a time. */
  public interface Claimant {
    /** The budget now covers the claim that had to wait: reading may go on. */
    void granted();

    /** The claim, held or waiting, reached the deadline and is given back; the connection must go. */
    void timedOut(long sinceRequestNanos);
  }

  private record Claim(int bytes, long requestedAtNanos) {}

  private final long capacityBytes;
  private final long timeoutNanos;
  private final LongSupplier nanoClock;
  private final Map<Claimant, Claim> waiting = new LinkedHashMap<>();
  private final Map<Claimant, Claim> holding = new LinkedHashMap<>();
  private long reservedBytes;
  private boolean granting;
  /** Where claims of at most {@link #smallClaimBytes} go, or null: one pool for every size. */
  private final FrameBudget smallPool;
  private final int smallClaimBytes;

  public FrameBudget(long capacityBytes, long timeoutNanos, LongSupplier nanoClock) {
    this(capacityBytes, timeoutNanos, nanoClock, null, 0);
  }

  private FrameBudget(long capacityBytes, long timeoutNanos, LongSupplier nanoClock, FrameBudget smallPool,
      int smallClaimBytes) {
    if (capacityBytes < 1 || timeoutNanos < 1) {
      throw new IllegalArgumentException("capacity and timeout must be positive");
    }
    this.capacityBytes = capacityBytes;
    this.timeoutNanos = timeoutNanos;
    this.nanoClock = nanoClock;
    this.smallPool = smallPool;
    this.smallClaimBytes = smallClaimBytes;
  }

  /**
   * {@code capacityBytes} in all, of which {@code smallPoolBytes} serve only claims of at most
   * {@code smallClaimBytes}, each part first come first served. Hostile connections announcing
   * large frames then fill the large part only, and the small frames of honest clients (whose
   * prefix and body may well arrive in separate reads) keep flowing; hostile small frames fill
   * the small part only, and a large honest frame still finds room. Either way the memory held is
   * at most {@code capacityBytes}, and every claim still ends at its deadline.
   */
  public static FrameBudget split(long capacityBytes, long smallPoolBytes, int smallClaimBytes, long timeoutNanos,
      LongSupplier nanoClock) {
    if (smallPoolBytes < smallClaimBytes || smallPoolBytes >= capacityBytes) {
      throw new IllegalArgumentException("the small pool must hold one small claim and leave room for large ones");
    }
    FrameBudget small = new FrameBudget(smallPoolBytes, timeoutNanos, nanoClock);
    return new FrameBudget(capacityBytes - smallPoolBytes, timeoutNanos, nanoClock, small, smallClaimBytes);
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
    if (smallPool != null && bytes <= smallClaimBytes) {
      return smallPool.reserve(claimant, bytes);
    }
    if (bytes < 1 || bytes > capacityBytes) {
      throw new IllegalArgumentException("cannot reserve " + bytes + " of a budget of " + capacityBytes + " bytes");
    }
    if (waiting.containsKey(claimant) || holding.containsKey(claimant)) {
      throw new IllegalStateException("a claimant holds or waits for one claim at a time");
    }
    Claim claim = new Claim(bytes, nanoClock.getAsLong());
    if (waiting.isEmpty() && reservedBytes + bytes <= capacityBytes) {
      hold(claimant, claim);
      return true;
    }
    waiting.put(claimant, claim);
    return false;
  }

  /** Gives back what {@code claimant} holds, or takes it out of the queue; a no-op otherwise. */
  public void release(Claimant claimant) {
    if (smallPool != null) {
      smallPool.release(claimant);
    }
    Claim held = holding.remove(claimant);
    if (held != null) {
      reservedBytes -= held.bytes();
      grantWaiting();
    } else if (waiting.remove(claimant) != null) {
      // The head may have been what kept smaller claims behind it waiting.
      grantWaiting();
    }
  }

  /**
   * Ends every held claim past the deadline, lets waiting claims into the room that frees, then
   * ends the claims still waiting past the deadline. A late waiter granted here gets its chance:
   * its bytes may all be there already, and if not, the next check ends it.
   */
  public void expire() {
    if (smallPool != null) {
      smallPool.expire();
    }
    long now = nanoClock.getAsLong();
    timeOut(expired(holding, now));
    grantWaiting();
    timeOut(expired(waiting, now));
    grantWaiting();
  }

  /** Takes the claims past the deadline out of {@code queue}, in request order, with their age. */
  private Map<Claimant, Long> expired(Map<Claimant, Claim> queue, long now) {
    Map<Claimant, Long> late = new LinkedHashMap<>();
    Iterator<Map.Entry<Claimant, Claim>> it = queue.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Claimant, Claim> entry = it.next();
      long age = now - entry.getValue().requestedAtNanos();
      if (age < timeoutNanos) {
        break;
      }
      it.remove();
      if (queue == holding) {
        reservedBytes -= entry.getValue().bytes();
      }
      late.put(entry.getKey(), age);
    }
    return late;
  }

  /** Callbacks after the bookkeeping: they may release or reserve again. */
  private static void timeOut(Map<Claimant, Long> late) {
    late.forEach(Claimant::timedOut);
  }

  public long reservedBytes() {
    return reservedBytes + (smallPool == null ? 0 : smallPool.reservedBytes());
  }

  /** The largest claim this budget can ever grant. */
  public long capacityBytes() {
    return capacityBytes;
  }

  public int holders() {
    return holding.size() + (smallPool == null ? 0 : smallPool.holders());
  }

  public int waiters() {
    return waiting.size() + (smallPool == null ? 0 : smallPool.waiters());
  }

  private void hold(Claimant claimant, Claim claim) {
    reservedBytes += claim.bytes();
    holding.put(claimant, claim);
  }

  /** Grants queued claims in order while they fit; a granted one may release at once, hence the loop guard. */
  private void grantWaiting() {
    if (granting) {
      return;
    }
    granting = true;
    try {
      while (!waiting.isEmpty()) {
        Map.Entry<Claimant, Claim> head = waiting.entrySet().iterator().next();
        Claimant next = head.getKey();
        Claim claim = head.getValue();
        if (reservedBytes + claim.bytes() > capacityBytes) {
          return;
        }
        waiting.remove(next);
        hold(next, claim);
        next.granted();
      }
    } finally {
      granting = false;
    }
  }
}
