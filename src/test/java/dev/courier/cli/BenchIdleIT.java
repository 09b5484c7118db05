package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 17: the idle bench modes start a broker, open their items and print every figure. */
@Timeout(120)
class BenchIdleIT {
  private static final Duration RUN = Duration.ofSeconds(90);
  private static final String NUMBER = "(-?\\d+\\.\\d+)";

  @Test
  void idleModesReportRssBeforeAfterAndPerItemForConnectionsAndGroups() throws Exception {
    try (CourierProcess bench = CourierProcess.role("bench", "--idle-connections", "40", "--idle-groups", "40")) {
      assertEquals(0, bench.awaitExit(RUN), bench.output());
      for (String kind : new String[] {"connections", "groups"}) {
        Matcher row = Pattern.compile("(?m)^" + kind + "\\s+40\\s+" + NUMBER + "\\s+" + NUMBER + "\\s+" + NUMBER + "\\s*$")
            .matcher(bench.output());
        assertTrue(row.find(), bench.output());
        double before = Double.parseDouble(row.group(1));
        double after = Double.parseDouble(row.group(2));
        assertTrue(before > 1 && after > 1, "RSS of a running JVM is megabytes: " + row.group());
        double perItemKib = Double.parseDouble(row.group(3));
        assertEquals((after - before) * 1024 / 40, perItemKib, 0.1 * 1024 / 40 + 0.01, row.group());
      }
    }
  }

  @Test
  void idleModesRefuseWorkloadOptions() throws Exception {
    try (CourierProcess bench = CourierProcess.role("bench", "--idle-groups", "10", "--count", "5")) {
      assertEquals(2, bench.awaitExit(RUN), bench.output());
      assertTrue(bench.output().contains("take no workload options"), bench.output());
    }
  }
}
