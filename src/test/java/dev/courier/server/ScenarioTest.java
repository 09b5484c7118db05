package dev.courier.server;

import static dev.courier.server.WireClient.OK;
import static dev.courier.server.WireClient.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

/** The transcript helper itself: a transcript that differs from the wire must fail, and say where. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ScenarioTest {
  private NetClient netClient;

  @BeforeEach
  void createClient(Vertx vertx) {
    netClient = vertx.createNetClient();
  }

  @Test
  void aFrameOtherThanTheExpectedOneFailsTheRunAndNamesTheStep(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .producer("p")
            .send("p", publish("x"))
            .expect("p", WireClient.message(1, "x"))
            .run())
        .onComplete(testContext.failing(e -> testContext.verify(() -> {
          assertInstanceOf(AssertionFailedError.class, e);
          assertTrue(e.getMessage().startsWith("step 3 (p receives {\"type\":\"message\""), e.getMessage());
          assertTrue(e.getMessage().contains("but got " + OK), e.getMessage());
          testContext.completeNow();
        })));
  }

  @Test
  void aCheckThatThrowsFailsTheRunAndLaterStepsDoNotRun(Vertx vertx, VertxTestContext testContext) {
    int[] laterSteps = {0};
    TestBroker.deploy(vertx, Map.of())
        .compose(broker -> Scenario.on(broker, netClient)
            .stats(stats -> assertEquals(1, stats.published(), "nothing was published"))
            .then("count", s -> {
              laterSteps[0]++;
              return Future.succeededFuture();
            })
            .run())
        .onComplete(testContext.failing(e -> testContext.verify(() -> {
          assertTrue(e.getMessage().startsWith("step 1 (stats pass their check): nothing was published"), e.getMessage());
          assertEquals(0, laterSteps[0]);
          testContext.completeNow();
        })));
  }

  @Test
  void aRestartNeedsADurableBroker(Vertx vertx, VertxTestContext testContext) {
    TestBroker.deploy(vertx, Map.of())
        .onComplete(testContext.succeeding(broker -> testContext.verify(() -> {
          IllegalStateException e = assertThrows(IllegalStateException.class,
              () -> Scenario.on(broker, netClient).restart());
          assertTrue(e.getMessage().contains("DurableBroker"), e.getMessage());
          testContext.completeNow();
        })));
  }
}
