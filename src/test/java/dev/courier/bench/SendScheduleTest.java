package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The fixed-rate schedule on a clock the test moves by hand (plain nanosecond values). */
class SendScheduleTest {
  private static final long START = 5_000_000_000L;

  @Test
  void spacesIntendedSendTimesEvenlyAtTheRate() {
    SendSchedule schedule = new SendSchedule(START, 1000, 10);
    assertEquals(START, schedule.intendedNanos(0));
    assertEquals(START + 1_000_000, schedule.intendedNanos(1));
    assertEquals(START + 9_000_000, schedule.intendedNanos(9));
  }

  @Test
  void makesTheFirstMessageDueAtTheStartAndOneMoreEachInterval() {
    SendSchedule schedule = new SendSchedule(START, 1000, 10);
    assertEquals(0, schedule.dueBy(START - 1));
    assertEquals(1, schedule.dueBy(START));
    assertEquals(1, schedule.dueBy(START + 999_999));
    assertEquals(2, schedule.dueBy(START + 1_000_000));
  }

  @Test
  void makesEverythingMissedDueAtOnceAfterAStallButNeverMoreThanTheCount() {
    SendSchedule schedule = new SendSchedule(START, 1000, 10);
    // A sender that wakes 4.5 ms late owes five messages; their intended times stay in the past.
    assertEquals(5, schedule.dueBy(START + 4_500_000));
    assertEquals(10, schedule.dueBy(START + 60_000_000_000L));
  }

  @Test
  void agreesWithTheIntendedTimesAtRatesThatDoNotDivideASecond() {
    SendSchedule schedule = new SendSchedule(START, 12_345.6, 100_000);
    for (int i = 0; i < 100_000; i += 7) {
      long intended = schedule.intendedNanos(i);
      assertEquals(i + 1, schedule.dueBy(intended), "due at its own intended time: message " + i);
      assertEquals(i, schedule.dueBy(intended - 1), "not due a nanosecond before: message " + i);
    }
  }

  @Test
  void refusesARateThatIsNotPositive() {
    assertThrows(IllegalArgumentException.class, () -> new SendSchedule(START, 0, 10));
  }
}
