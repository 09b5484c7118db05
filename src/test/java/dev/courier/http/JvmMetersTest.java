package dev.courier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmMetersTest {

  @Test
  void bindsTheGcFiguresAtOnceAndTheRestOnlyWhenAskedAndOnlyOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JvmMeters jvm = new JvmMeters();
    jvm.bindGc(registry);
    assertNotNull(registry.find("jvm.gc.max.data.size").meter(), "the GC's figures from the start");
    assertNull(registry.find("jvm.memory.used").meter(), "the rest not before the first scrape");
    jvm.bindOnce(registry);
    for (String name : List.of("jvm.memory.used", "jvm.threads.live", "jvm.classes.loaded", "jvm.info",
        "jvm.compilation.time", "process.uptime", "system.cpu.count", "jvm.memory.usage.after.gc")) {
      assertNotNull(registry.find(name).meter(), name);
    }
    int meters = registry.getMeters().size();
    jvm.bindOnce(registry);
    assertEquals(meters, registry.getMeters().size());
    jvm.close();
    registry.close();
  }
}
