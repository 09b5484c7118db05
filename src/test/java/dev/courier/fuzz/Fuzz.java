package dev.courier.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a property over generated inputs, each from a seed of its own, so that any failure names
 * the one seed that replays it. A plain JUnit 5 helper rather than a property-testing engine:
 * jqwik, the usual choice on the JVM, states since 1.10 that it is not meant to be used by AI
 * coding agents, and part of this code base is written by them. What is lost is shrinking; the
 * generators keep inputs small instead.
 *
 * <p>Settings (system properties, which Maven passes on to the test JVM):
 * <ul>
 *   <li>{@code fuzz.tries}: tries per property, replacing each property's own modest count
 *       ({@code make test} runs those; {@code make fuzz} sets a large number);
 *   <li>{@code fuzz.seed}: replays the try with that seed (one try, unless {@code fuzz.tries} is set
 *       too: then the tries that follow it in the same sequence run as well).
 * </ul>
 *
 * <p>Every try runs on one worker thread, bounded by {@link #HANG_BOUND_MILLIS}: a try that takes
 * longer counts as a hang and fails with its seed. That bound catches loops that never end, not
 * slowness; no property asserts a speed.
 */
public final class Fuzz {

  /** Generates one input from the try's random source. */
  @FunctionalInterface
  public interface Generator<T> {
    T next(SplittableRandom random);
  }

  /** The property: returns normally when it holds for {@code input}. */
  @FunctionalInterface
  public interface Check<T> {
    void check(T input) throws Exception;
  }

  /**
   * Generous: inputs are at most some tens of KiB and a try normally takes well under a
   * millisecond, but this machine's two cores are shared, and a false hang is worse than a late one.
   */
  public static final long HANG_BOUND_MILLIS = 10_000;
  private static final int MAX_DESCRIBED_CHARS = 600;
  private static final Logger log = LoggerFactory.getLogger(Fuzz.class);

  private Fuzz() {}

  /**
   * Checks {@code property} for {@code defaultTries} inputs (or {@code fuzz.tries}); throws an
   * {@link AssertionError} naming the property, the failing input and its seed.
   */
  public static <T> void forAll(String property, int defaultTries, Generator<T> generator, Check<T> check) {
    String test = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()
        .map(caller -> caller.getClassName().substring(caller.getClassName().lastIndexOf('.') + 1) + "#"
            + caller.getMethodName())
        .orElse(property));
    String seedSetting = System.getProperty("fuzz.seed");
    String triesSetting = System.getProperty("fuzz.tries");
    int tries = triesSetting != null ? Integer.parseInt(triesSetting) : seedSetting != null ? 1 : defaultTries;
    // The sequence of try seeds: from the replayed seed, or a new one per run.
    SplittableRandom seeds = new SplittableRandom(seedSetting != null ? 0 : System.nanoTime());
    long started = System.nanoTime();
    ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "fuzz-" + property);
      thread.setDaemon(true);
      return thread;
    });
    try {
      for (int i = 0; i < tries; i++) {
        long seed = i == 0 && seedSetting != null ? Long.parseLong(seedSetting) : seeds.nextLong();
        runTry(worker, property, test, i, tries, seed, generator, check);
      }
    } finally {
      worker.shutdownNow();
    }
    log.info("Fuzz property={} tries={} ms={}", property, tries,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static <T> void runTry(ExecutorService worker, String property, String test, int index, int tries, long seed,
      Generator<T> generator, Check<T> check) {
    // Written by the worker; read here after get() returned (the future orders the two) or timed out.
    List<T> input = new CopyOnWriteArrayList<>();
    Future<?> running = worker.submit(() -> {
      input.add(generator.next(new SplittableRandom(seed)));
      check.check(input.get(0));
      return null;
    });
    try {
      running.get(HANG_BOUND_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException hang) {
      running.cancel(true);
      throw failure(property, test, index, tries, seed, first(input),
          "no result within " + HANG_BOUND_MILLIS + " ms (a hang)", null);
    } catch (ExecutionException e) {
      throw failure(property, test, index, tries, seed, first(input), e.getCause().toString(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while fuzzing " + property, e);
    }
  }

  private static Object first(List<?> input) {
    return input.isEmpty() ? "(the generator did not finish)" : input.get(0);
  }

  private static AssertionError failure(String property, String test, int index, int tries, long seed,
      Object input, String what, Throwable cause) {
    String message = "Fuzz property " + property + " failed at try " + (index + 1) + " of " + tries
        + ": " + what + "\n  replay: mvn -o test -Dtest='" + test + "' -Dfuzz.seed=" + seed
        + "\n  input: " + describe(input);
    // Also on stderr at once, so the seed reaches the console of a long run whatever the report does.
    log.error(message);
    return new AssertionError(message, cause);
  }

  /** The input as a person reads it: bytes in hex, arrays element by element, cut to a screenful. */
  public static String describe(Object input) {
    String text;
    if (input instanceof byte[] bytes) {
      text = bytes.length + " bytes: " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 300));
      String ascii = new String(bytes, StandardCharsets.ISO_8859_1);
      if (ascii.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        text = bytes.length + " bytes of text: " + ascii;
      }
    } else if (input instanceof Object[] array) {
      text = Arrays.deepToString(array);
    } else {
      text = String.valueOf(input);
    }
    return text.length() <= MAX_DESCRIBED_CHARS ? text : text.substring(0, MAX_DESCRIBED_CHARS) + "...";
  }
}
