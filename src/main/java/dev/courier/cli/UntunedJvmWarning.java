package dev.courier.cli;

import java.util.List;
import java.util.Optional;

/**
 * A broker started by a plain {@code java -jar courier.jar broker} runs with the JVM's defaults:
 * G1 and a quarter of the machine's memory as heap, which measured 679 MiB peak RSS on bench S2
 * against 93-97 MiB with the shipped options (docs/BENCH.md). Heap and GC cannot be chosen from
 * code once the JVM runs, so the broker says so at start, once, with the options to add. A JVM
 * given any heap size or GC is taken as chosen on purpose and not warned about.
 */
final class UntunedJvmWarning {
  private UntunedJvmWarning() {}

  static Optional<String> of(List<String> jvmArguments, String shippedOptions) {
    boolean chosen = jvmArguments.stream().anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAM")
        || a.startsWith("-XX:MaxHeapSize") || a.matches("-XX:\\+Use\\w*GC"));
    if (chosen) {
      return Optional.empty();
    }
    return Optional.of("this JVM runs with its default heap and GC (no -Xmx, no GC chosen), which costs several "
        + "hundred MiB of memory: start the broker with bin/courier or make run, or add their options: " + shippedOptions);
  }
}
