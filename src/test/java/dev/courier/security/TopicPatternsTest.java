package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicPatternsTest {

  @Test
  void anExactNameCoversOnlyThatTopic() {
    TopicPatterns patterns = new TopicPatterns(List.of("orders"));
    assertTrue(patterns.covers("orders"));
    assertFalse(patterns.covers("orders.eu"));
    assertFalse(patterns.covers("order"));
  }

  @Test
  void aPrefixEndingInStarCoversEveryTopicStartingWithIt() {
    TopicPatterns patterns = new TopicPatterns(List.of("orders.*"));
    assertTrue(patterns.covers("orders.eu"));
    assertTrue(patterns.covers("orders.eu.paris"));
    assertFalse(patterns.covers("orders"));
    assertFalse(patterns.covers("payroll"));
  }

  @Test
  void aLoneStarCoversEverything() {
    assertTrue(new TopicPatterns(List.of("*")).covers("anything"));
    assertTrue(new TopicPatterns(List.of("*")).coversEverything());
  }

  @Test
  void noPatternsCoverNothing() {
    assertFalse(TopicPatterns.NONE.covers("orders"));
    assertFalse(TopicPatterns.NONE.coversEverything());
  }

  @Test
  void aDenyWinsOverEveryAllowWhateverTheOrder() {
    TopicPatterns denyLast = new TopicPatterns(List.of("*", "!payroll.*"));
    TopicPatterns denyFirst = new TopicPatterns(List.of("!payroll.*", "payroll.eu", "*"));
    for (TopicPatterns patterns : List.of(denyLast, denyFirst)) {
      assertFalse(patterns.covers("payroll.eu"));
      assertTrue(patterns.covers("orders"));
      assertFalse(patterns.coversEverything());
    }
  }

  @Test
  void aStarAnywhereButAtTheEndIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TopicPatterns(List.of("*.eu")));
    assertThrows(IllegalArgumentException.class, () -> new TopicPatterns(List.of("or*ders")));
    assertThrows(IllegalArgumentException.class, () -> new TopicPatterns(List.of("")));
    assertThrows(IllegalArgumentException.class, () -> new TopicPatterns(List.of("!")));
  }
}
