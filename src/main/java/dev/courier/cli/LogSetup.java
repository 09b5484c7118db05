package dev.courier.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The fat jar's logging, set up in code: what {@code conf/logback.xml} says, without logback's XML
 * configurator. Reading XML loaded about 470 classes (Joran, its model handlers, the JDK's XML
 * parser) that stayed in metaspace for the broker's life, a tenth of all an idle broker loads:
 * 2.7 MiB of RSS (docs/FOOTPRINT.md).
 *
 * <p>It steps aside, and logback reads XML as before, whenever there is a file to read: {@code
 * -Dlogback.configurationFile}, or a {@code logback-test.xml} or {@code logback.xml} on the class
 * path (the tests', or an application's that embeds Courier). Found by logback through {@code
 * META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** Big enough for a burst of WARNs from many connections at once; never drops WARN and above. */
  private static final int QUEUE_SIZE = 8192;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = LogSetup.class.getClassLoader();
    return configure(context, System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null);
  }

  /** {@code fileToRead}: logback has an XML file to read, so this leaves the setup to it. */
  ExecutionStatus configure(LoggerContext context, boolean fileToRead) {
    if (fileToRead) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    // Async, so a slow terminal or disk never stalls an event loop.
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0);
    async.addAppender(stderr);
    async.start();
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.WARN);
    // The launcher logs a failed start with its stack trace; the broker logs it as one ERROR line.
    context.getLogger("io.vertx.launcher.application.VertxApplication").setLevel(Level.OFF);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty("courier.log.level"), Level.INFO));
    root.addAppender(async);
    // As <shutdownHook/> does: flush the async queue when the JVM exits.
    DefaultShutdownHook hook = new DefaultShutdownHook();
    hook.setContext(context);
    Thread hookThread = new Thread(hook, "Logback shutdown hook [" + context.getName() + "]");
    context.putObject(CoreConstants.SHUTDOWN_HOOK_THREAD, hookThread);
    Runtime.getRuntime().addShutdownHook(hookThread);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
