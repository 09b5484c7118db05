package dev.courier.config;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * A class loader over the jars (or class folders) of the given classes that refuses every class of
 * Jackson databind, and remembers which it was asked for: a test loads Courier's classes through
 * it to show that some work needs none of databind (an idle broker pays for each class it loads).
 */
public final class WithoutDatabind extends URLClassLoader {
  private static final String DATABIND = "com.fasterxml.jackson.databind.";
  private final List<String> refused = new ArrayList<>();

  public WithoutDatabind(Class<?>... fromTheCodeOf) {
    super(urls(fromTheCodeOf), ClassLoader.getPlatformClassLoader());
  }

  private static URL[] urls(Class<?>... classes) {
    URL[] urls = new URL[classes.length];
    for (int i = 0; i < classes.length; i++) {
      urls[i] = classes[i].getProtectionDomain().getCodeSource().getLocation();
    }
    return urls;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(DATABIND)) {
      synchronized (refused) {
        refused.add(name);
      }
      throw new ClassNotFoundException(name + " is refused by this test's class loader");
    }
    return super.loadClass(name, resolve);
  }

  /** The databind classes something asked for so far. */
  public List<String> refused() {
    synchronized (refused) {
      return List.copyOf(refused);
    }
  }
}
