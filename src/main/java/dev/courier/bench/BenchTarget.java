package dev.courier.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Where the bench sends its load: a broker it starts per run, or one already running. */
public sealed interface BenchTarget {

  /** A fresh broker JVM per run, started with these JVM options. */
  /** A broker JVM per run, with these JVM options and these {@code --set key=value} settings. */
  record SpawnedBroker(List<String> jvmOptions, List<String> settings) implements BenchTarget {
    public SpawnedBroker {
      jvmOptions = List.copyOf(jvmOptions);
      settings = List.copyOf(settings);
    }
  }

  /** A running broker; only loopback addresses, since the bench is a load generator. */
  record RunningBroker(String host, int port) implements BenchTarget {
    public RunningBroker {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--port must be 1..65535, was " + port);
      }
      if (!isLoopback(host)) {
        throw new IllegalArgumentException("--host must be a loopback address (127.0.0.1, ::1, localhost), was " + host);
      }
    }

    private static boolean isLoopback(String host) {
      try {
        for (InetAddress address : InetAddress.getAllByName(host)) {
          if (!address.isLoopbackAddress()) {
            return false;
          }
        }
        return true;
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }
}
