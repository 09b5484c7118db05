package dev.courier.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak resident memory of a process, from Linux's {@code /proc/<pid>/stat} (utime and
 * stime, in clock ticks) and {@code /proc/<pid>/status} ({@code VmHWM}, in KiB).
 */
record ProcessUsage(double cpuSeconds, long peakRssBytes) {
  /** USER_HZ is 100 on every mainstream Linux build; {@code getconf CLK_TCK} confirms it here. */
  private static final long CLOCK_TICKS_PER_SECOND = 100;
  /** Fields of /proc/pid/stat counted from the state field (field 3): utime is 14, stime 15. */
  private static final int UTIME_FROM_STATE = 14 - 3;
  private static final int STIME_FROM_STATE = 15 - 3;

  static ProcessUsage of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
    // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    long ticks = Long.parseLong(fields[UTIME_FROM_STATE]) + Long.parseLong(fields[STIME_FROM_STATE]);
    return new ProcessUsage((double) ticks / CLOCK_TICKS_PER_SECOND, peakRssBytes(proc.resolve("status")));
  }

  private static long peakRssBytes(Path status) throws IOException {
    for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim()) * 1024;
      }
    }
    throw new IOException("no VmHWM in " + status);
  }
}
