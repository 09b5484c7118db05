package dev.courier.core;

import static dev.courier.core.RecordingPublisher.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stats pages: topics in name order from a cursor, bounded by a count and by a budget. */
class StatsPageTest {
  private final ManualClock clock = new ManualClock();
  private final Broker broker = new Broker(new DeliveryPolicy(Duration.ofSeconds(5).toNanos(), 10), clock);

  private static List<String> names(TopicStatsPage page) {
    return page.topics().stream().map(TopicStats::name).toList();
  }

  /**
   * Counts what it was asked, and takes topics while their names add up to at most {@code maxChars};
   * as the contract says, it counts its first topic whatever its size.
   */
  private static final class NameBudget implements PageBudget {
    final int maxChars;
    int used;
    int asked;

    NameBudget(int maxChars) {
      this.maxChars = maxChars;
    }

    @Override
    public boolean fits(TopicStats topic) {
      asked++;
      if (asked > 1 && used + topic.name().length() > maxChars) {
        return false;
      }
      used += topic.name().length();
      return true;
    }
  }

  @Test
  void pagesListTopicsInNameOrderWhateverTheOrderTheyWereCreatedIn() {
    for (String name : List.of("delta", "alpha", "charlie", "bravo")) {
      broker.createTopic(name);
    }

    TopicStatsPage first = broker.topicStats(null, 2, PageBudget.UNBOUNDED);
    assertEquals(List.of("alpha", "bravo"), names(first));
    assertEquals("bravo", first.next());

    TopicStatsPage second = broker.topicStats(first.next(), 2, PageBudget.UNBOUNDED);
    assertEquals(List.of("charlie", "delta"), names(second));
    assertNull(second.next(), "the last page has no next, even when it is exactly full");
  }

  @Test
  void theCursorStaysValidWhileTopicsAreCreatedBetweenPages() {
    broker.createTopic("b");
    broker.createTopic("d");
    TopicStatsPage first = broker.topicStats(null, 1, PageBudget.UNBOUNDED);
    assertEquals(List.of("b"), names(first));

    broker.createTopic("a"); // before the cursor: seen by the next walk from the start, not this one
    broker.createTopic("c"); // after it: this walk meets it in its place
    TopicStatsPage second = broker.topicStats(first.next(), 10, PageBudget.UNBOUNDED);
    assertEquals(List.of("c", "d"), names(second));
    assertNull(second.next());
  }

  @Test
  void aCursorThatNamesNoTopicStartsAtTheNextNameAfterIt() {
    broker.createTopic("apple");
    broker.createTopic("cherry");
    assertEquals(List.of("cherry"), names(broker.topicStats("banana", 10, PageBudget.UNBOUNDED)));
    assertEquals(List.of(), names(broker.topicStats("zebra", 10, PageBudget.UNBOUNDED)));
    assertNull(broker.topicStats("zebra", 10, PageBudget.UNBOUNDED).next());
  }

  @Test
  void theBudgetEndsThePageAndOnlyThePageIsComputed() {
    for (int i = 0; i < 100; i++) {
      broker.createTopic(String.format("t%02d", i)); // three characters each
    }
    NameBudget budget = new NameBudget(10);

    TopicStatsPage page = broker.topicStats(null, Integer.MAX_VALUE, budget);

    assertEquals(List.of("t00", "t01", "t02"), names(page));
    assertEquals("t02", page.next());
    assertEquals(4, budget.asked, "one topic past the page is measured, none further");
  }

  @Test
  void aTopicLargerThanTheWholeBudgetStillMakesAPageOfOne() {
    broker.createTopic("a-very-long-topic-name");
    broker.createTopic("b");
    NameBudget budget = new NameBudget(5);

    TopicStatsPage first = broker.topicStats(null, Integer.MAX_VALUE, budget);
    assertEquals(List.of("a-very-long-topic-name"), names(first));
    assertEquals("a-very-long-topic-name", first.next());
    assertEquals(List.of("b"), names(broker.topicStats(first.next(), Integer.MAX_VALUE, new NameBudget(5))));
  }

  @Test
  void aBudgetThatRefusesEverythingStillGetsOneTopicPerPage() {
    broker.createTopic("x");
    broker.createTopic("y");
    TopicStatsPage first = broker.topicStats(null, Integer.MAX_VALUE, topic -> false);
    assertEquals(List.of("x"), names(first));
    TopicStatsPage second = broker.topicStats(first.next(), Integer.MAX_VALUE, topic -> false);
    assertEquals(List.of("y"), names(second));
    assertNull(second.next());
  }

  @Test
  void followingNextVisitsEveryTopicOnceWithTheFiguresOfItsGroups() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String name = "topic-" + (i * 37 % 50);
      created.add(name);
      broker.subscribe(name, "g", false, 10, new RecordingConsumer("c" + i));
    }
    publish(broker, Publication.of("topic-7", "x"));

    List<String> seen = new ArrayList<>();
    String after = null;
    do {
      TopicStatsPage page = broker.topicStats(after, 7, PageBudget.UNBOUNDED);
      for (TopicStats topic : page.topics()) {
        seen.add(topic.name());
        assertEquals(1, topic.groups().size());
        assertEquals(topic.name().equals("topic-7") ? 1 : 0, topic.groups().get(0).delivered());
      }
      after = page.next();
    } while (after != null);

    assertEquals(created.stream().sorted().toList(), seen);
    assertEquals(new BrokerStats(1, 1, 0, 0, 0, 1, 50, false), broker.stats(), "totals cover every topic");
  }
}
