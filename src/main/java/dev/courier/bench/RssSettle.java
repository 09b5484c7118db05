package dev.courier.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process's resident memory once garbage is gone: a full GC through {@code jcmd <pid> GC.run}
 * (the heap shrinks to what live data needs, by the broker's MaxHeapFreeRatio), then
 * {@code /proc/<pid>/status} VmRSS read until it stops falling.
 */
final class RssSettle {
  /** jcmd attaches and runs one GC in well under a second; a loaded machine may take longer. */
  private static final long JCMD_TIMEOUT_SECONDS = 30;
  /** RSS is sampled this often while it settles. */
  private static final long SAMPLE_MILLIS = 250;
  /** Two samples this close count as settled: a few pages of noise, far below what is measured. */
  private static final long SETTLED_BYTES = 256 * 1024;
  /** A cap for a machine too busy to settle. */
  private static final int MAX_SAMPLES = 40;

  private RssSettle() {}

  static long afterFullGc(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!gc.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      gc.destroyForcibly();
      throw new IOException("jcmd " + pid + " GC.run did not finish within " + JCMD_TIMEOUT_SECONDS + " s");
    }
    if (gc.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " GC.run failed with status " + gc.exitValue());
    }
    long previous = residentBytes(pid);
    for (int i = 0; i < MAX_SAMPLES; i++) {
      // A measurement interval, not synchronisation: RSS falls as the JVM uncommits, with no event to wait on.
      Thread.sleep(SAMPLE_MILLIS);
      long current = residentBytes(pid);
      if (Math.abs(current - previous) < SETTLED_BYTES) {
        return current;
      }
      previous = current;
    }
    return previous;
  }

  static long residentBytes(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim()) * 1024;
      }
    }
    throw new IOException("no VmRSS in " + status);
  }
}
