package dev.courier.server;

import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker that ran out of memory or hit another {@link VirtualMachineError} cannot be trusted to
 * confirm anything again: it must stop, so that a supervisor restarts it and recovery brings back
 * every confirmed message. {@code -XX:+ExitOnOutOfMemoryError} does that at the failed allocation
 * and is in the default options of every documented launch; this is the second line for a JVM
 * started without it, where Vert.x and Netty would otherwise catch the error and go on wedged.
 */
final class FatalErrors {
  private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);
  /** Distinct from the CLI's 1 (cannot start) and 2 (bad usage); 3 like -XX:+ExitOnOutOfMemoryError. */
  static final int EXIT_CODE = 3;
  private static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";

  private FatalErrors() {}

  /** Halts the JVM on a virtual machine error reaching a Vert.x context or ending any thread. */
  static void haltOnVirtualMachineError(Vertx vertx) {
    vertx.exceptionHandler(FatalErrors::haltIfFatal);
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      haltIfFatal(error);
      if (previous != null) {
        previous.uncaughtException(thread, error);
      } else {
        log.error("thread {} died", thread.getName(), error);
      }
    });
    if (!ManagementFactory.getRuntimeMXBean().getInputArguments().contains(EXIT_ON_OOM)) {
      log.warn("this JVM runs without {}: add it to the java command (make run and the bench do), so that running"
          + " out of memory ends the broker at once instead of at the next error it sees", EXIT_ON_OOM);
    }
  }

  private static void haltIfFatal(Throwable error) {
    if (error instanceof VirtualMachineError) {
      // No logging framework call: it may need the memory that is gone. One plain line, then halt.
      System.err.println("Courier broker halting: " + error);
      Runtime.getRuntime().halt(EXIT_CODE);
    } else {
      log.error("unexpected error on a broker thread", error);
    }
  }
}
