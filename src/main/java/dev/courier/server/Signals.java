package dev.courier.server;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Runs an action on the first SIGINT or SIGTERM, instead of the JVM's default of exiting at once
 * with status 130/143: the broker drains first and then exits 0, and the clients print their
 * summary. A second signal exits at once, for an operator who does not want to wait. Lives in
 * {@code server} because a broker launched by name (no {@code cli}) installs it too.
 */
public final class Signals {
  private Signals() {}

  public static void onTerminate(Runnable action) {
    AtomicBoolean received = new AtomicBoolean();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), signal -> {
        if (received.compareAndSet(false, true)) {
          new Thread(action, "courier-shutdown").start();
        } else {
          // Written straight to stderr: the log is asynchronous and halt() would lose its last line.
          System.err.println("second " + signal.getName() + ": stopping at once, without waiting for the rest of"
              + " the shutdown (exit 130)");
          System.err.flush();
          Runtime.getRuntime().halt(130);
        }
      });
    }
  }
}
