package dev.courier.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import dev.courier.fuzz.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * The key order's promise over random runs: publishes on a few keys (and none), acks, nacks now
 * and later, ack timeouts, consumers leaving and joining, and restarts, on the manual clock. For
 * every key, at no time are two of its messages outstanding at once (delivered and not yet acked
 * or requeued-and-waiting), and the messages of a key are first delivered in publish order; in the
 * end, with time run out and everything acked, every message was acked exactly once. Runs on the
 * project's seeded {@link Fuzz} helper (why not jqwik: see there); {@code make fuzz} runs many more.
 */
class KeyOrderPropertyTest {
  private static final long TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();
  private static final GroupSettings KEY = new GroupSettings(null, null, Ordering.KEY);

  /** One step of a run; {@code n} picks a consumer, a key or an in-flight message. */
  record Step(Kind kind, int n) {}

  enum Kind { PUBLISH, ACK, NACK, NACK_LATER, TIME, LEAVE, JOIN, RESTART }

  /** Kinds weighted as a busy group sees them: mostly publishes and acks, now and then the rest. */
  private static final Kind[] WEIGHTED = weighted(new int[] {8, 8, 2, 2, 2, 1, 1, 1});

  private static Kind[] weighted(int[] weights) {
    List<Kind> kinds = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      for (int i = 0; i < weights[kind.ordinal()]; i++) {
        kinds.add(kind);
      }
    }
    return kinds.toArray(Kind[]::new);
  }

  static List<Step> run(SplittableRandom random) {
    int length = random.nextInt(121);
    List<Step> run = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      run.add(new Step(WEIGHTED[random.nextInt(WEIGHTED.length)], random.nextInt(1001)));
    }
    return run;
  }

  @Test
  void deliveriesOfAKeyNeverOverlapAndFollowPublishOrder() {
    Fuzz.forAll("key order over random runs", 300, KeyOrderPropertyTest::run, steps -> new Run().play(steps));
  }

  /** The broker under test and what the test knows it promised. */
  private static final class Run {
    private final ManualClock clock = new ManualClock();
    private Broker broker = new Broker(rules(), clock, null);
    private final RecordingPublisher[] publisher = {new RecordingPublisher(broker)};
    private final List<Worker> workers = new ArrayList<>();
    private final Map<Long, String> keyOf = new HashMap<>();
    /** Per key: the message outstanding now, if any. */
    private final Map<String, Long> outstanding = new HashMap<>();
    /** Per key: the highest id first delivered so far. */
    private final Map<String, Long> lastFirstDelivery = new HashMap<>();
    private final Set<Long> delivered = new HashSet<>();
    private final Set<Long> acked = new HashSet<>();
    private long published;
    private int names;

    private static BrokerRules rules() {
      return new BrokerRules(new DeliveryPolicy(TIMEOUT_NANOS, 3), TopicLimits.UNBOUNDED, true, Long.MAX_VALUE);
    }

    /** A consumer that checks the promise at every delivery. */
    private final class Worker implements Consumer {
      final String name = "w" + names++;
      /** What it holds in flight, with each one's ack deadline (nothing here touches one). */
      final Map<Long, Long> holding = new java.util.LinkedHashMap<>();
      Subscription subscription;

      @Override
      public boolean canAccept() {
        return true;
      }

      @Override
      public void deliver(Message message, int attempt) {
        String key = message.key();
        if (key != null) {
          Long busy = outstanding.get(key);
          assertTrue(busy == null || busy == message.id(), "key " + key + ": msg=" + message.id()
              + " delivered while msg=" + busy + " is outstanding");
          outstanding.put(key, message.id());
          if (delivered.add(message.id())) {
            long last = lastFirstDelivery.getOrDefault(key, 0L);
            assertTrue(message.id() > last, "key " + key + ": msg=" + message.id() + " first delivered after msg="
                + last);
            lastFirstDelivery.put(key, message.id());
          }
        }
        delivered.add(message.id());
        holding.put(message.id(), clock.nanoTime() + TIMEOUT_NANOS);
      }

      @Override
      public String name() {
        return name;
      }
    }

    void play(List<Step> run) {
      join();
      join();
      for (Step step : run) {
        switch (step.kind()) {
          case PUBLISH -> publish(step.n());
          case ACK -> answer(step.n(), 0);
          case NACK -> answer(step.n(), -1);
          case NACK_LATER -> answer(step.n(), 1 + step.n() % 3_000);
          case TIME -> passTime(Duration.ofMillis(step.n() * 10L));
          case LEAVE -> leave(step.n());
          case JOIN -> join();
          case RESTART -> restart();
        }
      }
      finish();
    }

    private void publish(int n) {
      String key = n % 5 == 0 ? null : "k" + n % 4;
      publisher[0].publish(new Publication("t", "p", key, null, false));
      keyOf.put(++published, key);
    }

    /** Acks (delay 0), nacks now (-1) or later one message a consumer holds. */
    private void answer(int n, long delay) {
      List<Worker> busy = workers.stream().filter(w -> !w.holding.isEmpty()).toList();
      if (busy.isEmpty()) {
        return;
      }
      Worker worker = busy.get(n % busy.size());
      long id = new ArrayList<>(worker.holding.keySet()).get(n % worker.holding.size());
      worker.holding.remove(id);
      String key = keyOf.get(id);
      AckResult result;
      if (delay == 0) {
        if (key != null) {
          outstanding.remove(key); // before the ack, during which the key's next message may be delivered
        }
        assertTrue(acked.add(id), "msg=" + id + " acked twice");
        result = broker.ack(worker.subscription, id);
      } else {
        result = broker.nack(worker.subscription, id, Math.max(0, delay)); // the key stays outstanding
      }
      assertEquals(AckResult.ACKED, result, "msg=" + id + " is " + worker.name + "'s until its deadline");
    }

    private void passTime(Duration duration) {
      clock.advance(duration);
      forgetTimedOut(); // before the expiry's redeliveries, which are held anew
      broker.expire();
    }

    /** What timed out is no longer held (the broker's rule: deadline not after now); it comes again. */
    private void forgetTimedOut() {
      for (Worker worker : workers) {
        worker.holding.values().removeIf(deadline -> deadline - clock.nanoTime() <= 0);
      }
    }

    private void leave(int n) {
      if (workers.size() > 1) {
        Worker worker = workers.remove(n % workers.size());
        worker.holding.clear();
        broker.unsubscribe(worker.subscription);
      }
    }

    private void join() {
      Worker worker = new Worker();
      workers.add(worker);
      worker.subscription = broker.subscribe("t", "g", false, 3, KEY, worker);
    }

    /** As after a crash: nothing in flight survives, what was unacked comes again, keys still in order. */
    private void restart() {
      List<GroupPosition> positions = broker.positions("t");
      List<Message> messages = broker.retainedMessages("t", 0, Integer.MAX_VALUE);
      long nextId = broker.nextId("t");
      broker = new Broker(rules(), clock, null);
      broker.restore(new RestoredTopic("t", nextId, messages, nextId, new long[0], positions,
          messages.isEmpty() ? nextId : messages.get(0).id()));
      publisher[0] = new RecordingPublisher(broker);
      int count = workers.size();
      workers.clear();
      for (int i = 0; i < count; i++) {
        join();
      }
    }

    /** Time runs out and every delivery is acked at once: each message is acked exactly once. */
    private void finish() {
      for (int round = 0; round < 10_000 && acked.size() < published; round++) {
        clock.advance(Duration.ofSeconds(4));
        forgetTimedOut();
        broker.expire();
        for (Worker worker : workers) {
          while (!worker.holding.isEmpty()) {
            answer(0, 0);
          }
        }
      }
      assertEquals(published, acked.size(), "every message acked once; outstanding: " + outstanding);
    }
  }
}
