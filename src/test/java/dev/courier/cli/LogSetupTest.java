package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

/** The fat jar's logging set up in code, as conf/logback.xml says, unless there is a file to read. */
class LogSetupTest {

  @Test
  void leavesTheSetupToLogbackWhenThereIsAFileToRead() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, setup.configure(context, true));
    assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
  }

  @Test
  void logsAsynchronouslyToStandardErrorAtInfoWithNettyAndVertxAtWarn() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    try {
      assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, setup.configure(context, false));
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      assertEquals(Level.INFO, root.getLevel());
      AsyncAppender async = assertInstanceOf(AsyncAppender.class, root.getAppender("ASYNC"));
      assertTrue(async.isStarted());
      assertEquals(0, async.getDiscardingThreshold(), "never drops WARN and above, nor anything else");
      Appender<ILoggingEvent> stderr = async.getAppender("STDERR");
      assertEquals("System.err", assertInstanceOf(ConsoleAppender.class, stderr).getTarget());
      assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
      assertEquals(Level.WARN, context.getLogger("io.vertx").getLevel());
      assertEquals(Level.OFF, context.getLogger("io.vertx.launcher.application.VertxApplication").getLevel());
    } finally {
      context.stop();
    }
  }
}
