package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UntunedJvmWarningTest {
  private static final String SHIPPED = "-Xmx1g -XX:+UseSerialGC";

  @Test
  void warnsWithTheShippedOptionsWhenTheJvmRunsOnItsDefaults() {
    Optional<String> warning = UntunedJvmWarning.of(List.of("-XX:+ExitOnOutOfMemoryError"), SHIPPED);
    assertTrue(warning.isPresent());
    assertTrue(warning.get().endsWith(SHIPPED), warning.get());
  }

  @Test
  void staysQuietWhenAHeapSizeOrACollectorWasChosen() {
    assertEquals(Optional.empty(), UntunedJvmWarning.of(List.of("-Xmx256m"), SHIPPED));
    assertEquals(Optional.empty(), UntunedJvmWarning.of(List.of("-XX:MaxRAMPercentage=10"), SHIPPED));
    assertEquals(Optional.empty(), UntunedJvmWarning.of(List.of("-XX:+UseZGC"), SHIPPED));
  }
}
