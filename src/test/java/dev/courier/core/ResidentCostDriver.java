package dev.courier.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Not a test: measures what a retained message costs on the heap, for {@link ResidentSize}'s
 * estimate. Publishes N messages of each shape to a memory-storage core broker (nothing pages out,
 * no group, so every one stays retained) and reports the heap in use after full collections,
 * divided by N. Run with the broker's collector:
 * {@code java -XX:+UseSerialGC -cp target/classes:target/test-classes dev.courier.core.ResidentCostDriver 200000}
 */
final class ResidentCostDriver {
  private ResidentCostDriver() {
  }

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    System.out.println("payload B, key+headers, measured B/msg, estimated B/msg (ResidentSize)");
    for (int payloadBytes : new int[] {25, 100, 1024}) {
      for (boolean extras : new boolean[] {false, true}) {
        measure(count, payloadBytes, extras);
      }
    }
  }

  private static void measure(int count, int payloadBytes, boolean extras) {
    long before = usedAfterGc();
    Broker broker = new Broker(new DeliveryPolicy(Duration.ofSeconds(30).toNanos(), 100), new ManualClock());
    RecordingPublisher.publish(broker, "warm-up");
    Publisher publisher = broker.publisher(new PublishListener() {
      @Override
      public void stored(Message message) {
      }

      @Override
      public void refused(Publication publication, PublishRefusal refusal, String detail) {
        throw new IllegalStateException("refused: " + refusal + " " + detail);
      }
    });
    long estimated = 0;
    for (int i = 0; i < count; i++) {
      // Each payload, key and header its own objects, as the codec decodes them from each frame.
      String payload = fill('p', i, payloadBytes);
      String key = extras && !Boolean.getBoolean("noKey") ? fill('k', i, 8) : null;
      Map<String, String> headers = null;
      if (extras) {
        headers = new LinkedHashMap<>();
        headers.put(fill('a', i, 8), fill('v', i, 16));
        headers.put(fill('b', i, 8), fill('w', i, 16));
      }
      broker.publish(publisher, new Publication("t", payload, key, headers, false));
      estimated += ResidentSize.of(payload, key, headers);
    }
    long used = usedAfterGc() - before;
    System.out.printf("%d, %s, %d, %d%n", payloadBytes, extras ? "yes" : "no", used / count, estimated / count);
    if (broker.topicStats().stream().mapToInt(TopicStats::retainedMessages).sum() != count + 1) {
      throw new IllegalStateException("expected every message retained");
    }
  }

  private static String fill(char c, int seed, int length) {
    StringBuilder text = new StringBuilder(length);
    String digits = Integer.toString(seed);
    while (text.length() < length) {
      text.append(text.length() < digits.length() ? digits.charAt(text.length()) : c);
    }
    return text.toString();
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
