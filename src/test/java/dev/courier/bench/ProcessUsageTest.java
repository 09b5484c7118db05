package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class ProcessUsageTest {
  @Test
  void readsCpuTimeAndPeakRssOfThisJvm() throws Exception {
    ProcessUsage usage = ProcessUsage.of(ProcessHandle.current().pid());
    assertTrue(usage.cpuSeconds() > 0, "cpu " + usage.cpuSeconds());
    assertTrue(usage.peakRssBytes() > 1024 * 1024, "rss " + usage.peakRssBytes());
  }
}
