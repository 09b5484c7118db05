package dev.courier.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM's figures on /metrics ({@code jvm_*}, {@code process_*}, {@code system_*}): the binders
 * Vert.x's own JVM metrics option binds, bound at the first scrape instead of at start, except
 * the GC's. Their classes (java.lang.management, com.sun.management, Micrometer's binders: about
 * 180 of them) cost an idle broker 1.3-1.6 MiB of RSS that nobody reads until Prometheus asks
 * (docs/FOOTPRINT.md, "Idle broker"). The GC's pauses are events, so its binder listens from the
 * start (0.3 MiB); the heap-pressure figure, an average over time, starts at the first scrape.
 */
final class JvmMeters {
  private final List<AutoCloseable> listeners = new ArrayList<>();
  private boolean bound;

  private JvmGcMetrics gc;

  /** The GC's figures from the start: pauses are events, and those before a first scrape would be lost. */
  synchronized void bindGc(MeterRegistry registry) {
    gc = new JvmGcMetrics();
    listeners.add(gc);
    gc.bindTo(registry);
  }

  /** Binds them to {@code registry} once; blocking (it loads classes): call it on a worker. */
  synchronized void bindOnce(MeterRegistry registry) {
    if (bound) {
      return;
    }
    bound = true;
    JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    listeners.add(heapPressure);
    for (MeterBinder binder : List.of(new ClassLoaderMetrics(), new JvmCompilationMetrics(), heapPressure,
        new JvmInfoMetrics(), new JvmMemoryMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(),
        new UptimeMetrics())) {
      binder.bindTo(registry);
    }
  }

  /** Removes the GC notification listeners, if bound. */
  synchronized void close() {
    for (AutoCloseable listener : listeners) {
      try {
        listener.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + listener, e);
      }
    }
    listeners.clear();
  }
}
